/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report templates: the parser and checker. */
#include "config.h"

#include "lers-report-template-private.h"
