/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report expressions: the parser and the evaluator. */
#include "config.h"

#include "lers-report-expr.h"
