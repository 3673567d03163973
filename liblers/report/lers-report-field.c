/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The field names report templates use. */
#include "config.h"

#include "lers-report-field.h"
