/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Binding a report to the store's data. */
#include "config.h"

#include "lers-report-data.h"
