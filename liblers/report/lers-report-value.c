/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values of report expressions: their formats by language. */
#include "config.h"

#include "lers-report-value.h"
