/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LersArchiveKind:
 * @LERS_ARCHIVE_KIND_CURRENT: current (instantaneous) values
 * @LERS_ARCHIVE_KIND_HOUR: hourly archive
 * @LERS_ARCHIVE_KIND_DAY: daily archive
 * @LERS_ARCHIVE_KIND_MONTH: monthly archive
 * @LERS_ARCHIVE_KIND_TOTALS: meter totals (cumulative readings)
 * @LERS_ARCHIVE_KIND_POWER_PROFILE: electricity power profile
 * @LERS_ARCHIVE_KIND_EVENTS: device events
 *
 * The archives a meter keeps. The nicks (`current`, `hour`, …) are what the
 * HTTP API and the CLI accept.
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_ARCHIVE_KIND_CURRENT = 0,       /*< nick=current >*/
  LERS_ARCHIVE_KIND_HOUR = 1,          /*< nick=hour >*/
  LERS_ARCHIVE_KIND_DAY = 2,           /*< nick=day >*/
  LERS_ARCHIVE_KIND_MONTH = 3,         /*< nick=month >*/
  LERS_ARCHIVE_KIND_TOTALS = 4,        /*< nick=totals >*/
  LERS_ARCHIVE_KIND_POWER_PROFILE = 5, /*< nick=power-profile >*/
  LERS_ARCHIVE_KIND_EVENTS = 6,        /*< nick=events >*/
} LersArchiveKind;

/**
 * LersResource:
 * @LERS_RESOURCE_HEAT: heat (отопление)
 * @LERS_RESOURCE_HOT_WATER: hot water (ГВС)
 * @LERS_RESOURCE_COLD_WATER: cold water (ХВС)
 * @LERS_RESOURCE_GAS: gas
 * @LERS_RESOURCE_ELECTRICITY: electricity
 * @LERS_RESOURCE_STEAM: steam
 *
 * What a measure point meters.
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_RESOURCE_HEAT = 0,        /*< nick=heat >*/
  LERS_RESOURCE_HOT_WATER = 1,   /*< nick=hot-water >*/
  LERS_RESOURCE_COLD_WATER = 2,  /*< nick=cold-water >*/
  LERS_RESOURCE_GAS = 3,         /*< nick=gas >*/
  LERS_RESOURCE_ELECTRICITY = 4, /*< nick=electricity >*/
  LERS_RESOURCE_STEAM = 5,       /*< nick=steam >*/
} LersResource;

/**
 * LersNodeType:
 * @LERS_NODE_TYPE_NODE: a metering node (объект учёта)
 * @LERS_NODE_TYPE_HOUSE: an apartment house
 * @LERS_NODE_TYPE_POWER_SOURCE: a heat or power source
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_NODE_TYPE_NODE = 0,         /*< nick=node >*/
  LERS_NODE_TYPE_HOUSE = 1,        /*< nick=house >*/
  LERS_NODE_TYPE_POWER_SOURCE = 2, /*< nick=power-source >*/
} LersNodeType;

/**
 * LersConnectionKind:
 * @LERS_CONNECTION_KIND_TCP_CLIENT: we connect to host:port (a converter or a meter with Ethernet)
 * @LERS_CONNECTION_KIND_GPRS_SERVER: the modem connects to us
 * @LERS_CONNECTION_KIND_SERIAL: a local serial line
 * @LERS_CONNECTION_KIND_MODEM: a dial-up modem
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_CONNECTION_KIND_TCP_CLIENT = 0,  /*< nick=tcp-client >*/
  LERS_CONNECTION_KIND_GPRS_SERVER = 1, /*< nick=gprs-server >*/
  LERS_CONNECTION_KIND_SERIAL = 2,      /*< nick=serial >*/
  LERS_CONNECTION_KIND_MODEM = 3,       /*< nick=modem >*/
} LersConnectionKind;

/**
 * LersParity:
 * @LERS_PARITY_NONE: no parity bit (N)
 * @LERS_PARITY_ODD: odd parity (O)
 * @LERS_PARITY_EVEN: even parity (E), as M-Bus uses
 *
 * The parity of a serial line's characters.
 *
 * Since: 0.3
 */
typedef enum
{
  LERS_PARITY_NONE = 0, /*< nick=none >*/
  LERS_PARITY_ODD = 1,  /*< nick=odd >*/
  LERS_PARITY_EVEN = 2, /*< nick=even >*/
} LersParity;

/**
 * LersFlowControl:
 * @LERS_FLOW_CONTROL_NONE: none
 * @LERS_FLOW_CONTROL_HARDWARE: RTS/CTS
 * @LERS_FLOW_CONTROL_SOFTWARE: XON/XOFF
 *
 * Since: 0.3
 */
typedef enum
{
  LERS_FLOW_CONTROL_NONE = 0,     /*< nick=none >*/
  LERS_FLOW_CONTROL_HARDWARE = 1, /*< nick=hardware >*/
  LERS_FLOW_CONTROL_SOFTWARE = 2, /*< nick=software >*/
} LersFlowControl;

/**
 * LersValueFlags:
 * @LERS_VALUE_FLAG_NONE: a plain value read from the device
 * @LERS_VALUE_FLAG_BAD: the device marked it invalid, or it failed a check
 * @LERS_VALUE_FLAG_CALCULATED: computed by us (for example from device totals)
 * @LERS_VALUE_FLAG_INTERPOLATED: filled in between known values
 * @LERS_VALUE_FLAG_RESET: the counter was reset or rolled over in this interval
 * @LERS_VALUE_FLAG_MISSING: there is no value: the row has none of this
 *   parameter. Set by the reader of a #LersArchiveBatch (with NaN as the
 *   value), never stored. Since: 0.2
 *
 * Status of one stored value.
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_VALUE_FLAG_NONE = 0,              /*< nick=none >*/
  LERS_VALUE_FLAG_BAD = 1 << 0,          /*< nick=bad >*/
  LERS_VALUE_FLAG_CALCULATED = 1 << 1,   /*< nick=calculated >*/
  LERS_VALUE_FLAG_INTERPOLATED = 1 << 2, /*< nick=interpolated >*/
  LERS_VALUE_FLAG_RESET = 1 << 3,        /*< nick=reset >*/
  LERS_VALUE_FLAG_MISSING = 1 << 4,      /*< nick=missing >*/
} LersValueFlags;

/**
 * LersMeterEventSeverity:
 * @LERS_METER_EVENT_SEVERITY_INFO: for the record (the clock was set, a
 *   parameter changed)
 * @LERS_METER_EVENT_SEVERITY_WARNING: the readings may be off (a flow out of
 *   range, a short power cut)
 * @LERS_METER_EVENT_SEVERITY_ALARM: someone should act (a sensor fault,
 *   tampering)
 *
 * How much a meter event matters.
 *
 * Since: 0.3
 */
typedef enum
{
  LERS_METER_EVENT_SEVERITY_INFO = 0,    /*< nick=info >*/
  LERS_METER_EVENT_SEVERITY_WARNING = 1, /*< nick=warning >*/
  LERS_METER_EVENT_SEVERITY_ALARM = 2,   /*< nick=alarm >*/
} LersMeterEventSeverity;

/**
 * LersPollJobState:
 * @LERS_POLL_JOB_STATE_QUEUED: waiting for a polling service (or for its
 *   retry back-off to pass)
 * @LERS_POLL_JOB_STATE_RUNNING: claimed by a polling service, being read
 * @LERS_POLL_JOB_STATE_DONE: read and stored
 * @LERS_POLL_JOB_STATE_FAILED: gave up after its last attempt
 * @LERS_POLL_JOB_STATE_CANCELLED: cancelled by a user
 *
 * Where a poll job is.
 *
 * Since: 0.4
 */
typedef enum
{
  LERS_POLL_JOB_STATE_QUEUED = 0,    /*< nick=queued >*/
  LERS_POLL_JOB_STATE_RUNNING = 1,   /*< nick=running >*/
  LERS_POLL_JOB_STATE_DONE = 2,      /*< nick=done >*/
  LERS_POLL_JOB_STATE_FAILED = 3,    /*< nick=failed >*/
  LERS_POLL_JOB_STATE_CANCELLED = 4, /*< nick=cancelled >*/
} LersPollJobState;

/**
 * LersPollPriority:
 * @LERS_POLL_PRIORITY_MANUAL: a read a user asked for (first)
 * @LERS_POLL_PRIORITY_ALARM: a read an alarm asked for
 * @LERS_POLL_PRIORITY_BACKFILL: a gap in the stored archive being read again
 * @LERS_POLL_PRIORITY_ROUTINE: a read on the point's schedule (last)
 *
 * Which poll jobs are claimed first: the lower, the sooner.
 *
 * Since: 0.4
 */
typedef enum
{
  LERS_POLL_PRIORITY_MANUAL = 0,   /*< nick=manual >*/
  LERS_POLL_PRIORITY_ALARM = 1,    /*< nick=alarm >*/
  LERS_POLL_PRIORITY_BACKFILL = 2, /*< nick=backfill >*/
  LERS_POLL_PRIORITY_ROUTINE = 3,  /*< nick=routine >*/
} LersPollPriority;

/**
 * LersUserRole:
 * @LERS_USER_ROLE_ADMIN: everything, including users and rights
 * @LERS_USER_ROLE_OPERATOR: works with the objects, their data and polling
 * @LERS_USER_ROLE_VIEWER: reads everything it is assigned, changes nothing
 * @LERS_USER_ROLE_SUBSCRIBER: a customer (абонент): reads only the nodes
 *   assigned to it
 *
 * What a user may do. Which nodes it sees is its scope (see
 * [class@Lers.Accounts]).
 *
 * Since: 0.5
 */
typedef enum
{
  LERS_USER_ROLE_ADMIN = 0,      /*< nick=admin >*/
  LERS_USER_ROLE_OPERATOR = 1,   /*< nick=operator >*/
  LERS_USER_ROLE_VIEWER = 2,     /*< nick=viewer >*/
  LERS_USER_ROLE_SUBSCRIBER = 3, /*< nick=subscriber >*/
} LersUserRole;

/**
 * LersSessionKind:
 * @LERS_SESSION_KIND_BROWSER: a browser's login: a cookie and its CSRF token,
 *   expiring after a period without use
 * @LERS_SESSION_KIND_TOKEN: an API token for a program, sent as
 *   `Authorization: Bearer`
 *
 * Since: 0.5
 */
typedef enum
{
  LERS_SESSION_KIND_BROWSER = 0, /*< nick=browser >*/
  LERS_SESSION_KIND_TOKEN = 1,   /*< nick=token >*/
} LersSessionKind;

/**
 * LersScopeKind:
 * @LERS_SCOPE_KIND_GROUP: the nodes of a node group
 * @LERS_SCOPE_KIND_TERRITORY: the nodes of a territory and of the territories
 *   under it
 * @LERS_SCOPE_KIND_NODE: one node
 *
 * What a user is assigned.
 *
 * Since: 0.5
 */
typedef enum
{
  LERS_SCOPE_KIND_GROUP = 0,     /*< nick=group >*/
  LERS_SCOPE_KIND_TERRITORY = 1, /*< nick=territory >*/
  LERS_SCOPE_KIND_NODE = 2,      /*< nick=node >*/
} LersScopeKind;

const gchar *lers_archive_kind_to_string (LersArchiveKind kind);
gboolean lers_archive_kind_from_string (const gchar *str, LersArchiveKind *kind);
const gchar *lers_resource_to_string (LersResource resource);
gboolean lers_resource_from_string (const gchar *str, LersResource *resource);

G_END_DECLS
