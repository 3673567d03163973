/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A report over points and a period: its documents one by one. */
#include "config.h"

#include "lers-report.h"
