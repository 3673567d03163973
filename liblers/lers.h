/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define __LERS_H_INSIDE__

#include "lers-engine.h"
#include "lers-error.h"
#include "lers-i18n.h"
#include "lers-json.h"
#include "lers-time.h"
#include "model/lers-archive-batch.h"
#include "model/lers-connection.h"
#include "model/lers-device.h"
#include "lers-enum-types.h"
#include "model/lers-enums.h"
#include "model/lers-measure-point.h"
#include "model/lers-node.h"
#include "model/lers-parameter.h"
#include "model/lers-record.h"
#include "model/lers-territory.h"
#include "notify/lers-notifier.h"
#include "poll/lers-poller.h"
#include "poll/lers-scheduler.h"
#include "poll/lers-progress.h"
#include "protocol/lers-byte-reader.h"
#include "protocol/lers-device-driver.h"
#include "protocol/lers-device-simulator.h"
#include "report/lers-report-backend.h"
#include "store/lers-cluster.h"
#include "store/lers-importer.h"
#include "store/lers-store.h"
#include "store/lers-store-enum-types.h"
#include "store/lers-store-query.h"
#include "store/lers-transaction.h"

#undef __LERS_H_INSIDE__
