/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Laying a report out into pages and a flow. */
#include "config.h"

#include "lers-report-layout.h"
