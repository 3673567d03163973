/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "model/lers-audit-entry.h"

/**
 * LersAuditEntry:
 *
 * One entry of the audit log (table `audit_log`): who changed what, when,
 * and the object before and after. Entries are written by
 * [method@Lers.Accounts.audit_sync]; the generic store lists them (read
 * only), the time as the property `time`.
 *
 * Since: 0.5
 */
struct _LersAuditEntry
{
  GObject parent_instance;
  gint64 id;
  GDateTime *time;
  gint64 user_id;
  gchar *login;
  gchar *action;
  gchar *entity;
  gint64 entity_id;
  gchar *before;
  gchar *after;
  gchar *address;
};

G_DEFINE_TYPE (LersAuditEntry, lers_audit_entry, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TIME,
  PROP_USER_ID,
  PROP_LOGIN,
  PROP_ACTION,
  PROP_ENTITY,
  PROP_ENTITY_ID,
  PROP_BEFORE,
  PROP_AFTER,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_audit_entry_finalize (GObject *object)
{
  LersAuditEntry *self = LERS_AUDIT_ENTRY (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->login);
  g_free (self->action);
  g_free (self->entity);
  g_free (self->before);
  g_free (self->after);
  g_free (self->address);

  G_OBJECT_CLASS (lers_audit_entry_parent_class)->finalize (object);
}

static void
lers_audit_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersAuditEntry *self = LERS_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_ENTITY:
      g_value_set_string (value, self->entity);
      break;
    case PROP_ENTITY_ID:
      g_value_set_int64 (value, self->entity_id);
      break;
    case PROP_BEFORE:
      g_value_set_string (value, self->before);
      break;
    case PROP_AFTER:
      g_value_set_string (value, self->after);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_audit_entry_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  LersAuditEntry *self = LERS_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_audit_entry_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TIME:
      lers_audit_entry_set_time (self, g_value_get_boxed (value));
      break;
    case PROP_USER_ID:
      lers_audit_entry_set_user_id (self, g_value_get_int64 (value));
      break;
    case PROP_LOGIN:
      lers_audit_entry_set_login (self, g_value_get_string (value));
      break;
    case PROP_ACTION:
      lers_audit_entry_set_action (self, g_value_get_string (value));
      break;
    case PROP_ENTITY:
      lers_audit_entry_set_entity (self, g_value_get_string (value));
      break;
    case PROP_ENTITY_ID:
      lers_audit_entry_set_entity_id (self, g_value_get_int64 (value));
      break;
    case PROP_BEFORE:
      lers_audit_entry_set_before (self, g_value_get_string (value));
      break;
    case PROP_AFTER:
      lers_audit_entry_set_after (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS:
      lers_audit_entry_set_address (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_audit_entry_class_init (LersAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_audit_entry_finalize;
  object_class->get_property = lers_audit_entry_get_property;
  object_class->set_property = lers_audit_entry_set_property;

  /**
   * LersAuditEntry:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.5
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:time:
   *
   * When it happened.
   *
   * Since: 0.5
   */
  props[PROP_TIME]
      = g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:user-id:
   *
   * The user who did it; 0 for the system or a user since deleted.
   *
   * Since: 0.5
   */
  props[PROP_USER_ID]
      = g_param_spec_int64 ("user-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:login:
   *
   * The login of who did it (kept when the user is deleted), or the OS user of a command-line run.
   *
   * Since: 0.5
   */
  props[PROP_LOGIN]
      = g_param_spec_string ("login", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:action:
   *
   * What was done: `create`, `update`, `delete`, `login`, `login-failed`, `logout`, `token-create`,
   * `token-revoke`, `password`, `poll`, …
   *
   * Since: 0.5
   */
  props[PROP_ACTION]
      = g_param_spec_string ("action", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:entity:
   *
   * What it was done to: `node`, `measure-point`, `device`, `connection`, `territory`,
   * `node-group`, `user`, `session`, `poll-job`, …
   *
   * Since: 0.5
   */
  props[PROP_ENTITY]
      = g_param_spec_string ("entity", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:entity-id:
   *
   * The id of the object; 0 for none.
   *
   * Since: 0.5
   */
  props[PROP_ENTITY_ID]
      = g_param_spec_int64 ("entity-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:before:
   *
   * The object before the change as JSON object text, secrets masked; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_BEFORE]
      = g_param_spec_string ("before", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:after:
   *
   * The object after the change as JSON object text, secrets masked; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_AFTER]
      = g_param_spec_string ("after", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersAuditEntry:address:
   *
   * The client's network address; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_ADDRESS]
      = g_param_spec_string ("address", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_audit_entry_init (LersAuditEntry *self)
{
}

/**
 * lers_audit_entry_new:
 *
 * Returns: (transfer full): a new, unsaved #LersAuditEntry
 *
 * Since: 0.5
 */
LersAuditEntry *
lers_audit_entry_new (void)
{
  return g_object_new (LERS_TYPE_AUDIT_ENTRY, NULL);
}

/**
 * lers_audit_entry_get_id:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:id.
 *
 * Returns: database id; 0 until stored.
 *
 * Since: 0.5
 */
gint64
lers_audit_entry_get_id (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), 0);
  return self->id;
}

/**
 * lers_audit_entry_set_id:
 * @self: a #LersAuditEntry
 * @id: the new value
 *
 * Sets #LersAuditEntry:id.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_id (LersAuditEntry *self, gint64 id)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_audit_entry_get_time:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:time.
 *
 * Returns: (nullable) (transfer none): when it happened.
 *
 * Since: 0.5
 */
GDateTime *
lers_audit_entry_get_time (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->time;
}

/**
 * lers_audit_entry_set_time:
 * @self: a #LersAuditEntry
 * @time: (nullable): the new value
 *
 * Sets #LersAuditEntry:time.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_time (LersAuditEntry *self, GDateTime *time)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (self->time == time
      || (self->time != NULL && time != NULL && g_date_time_equal (self->time, time)))
    return;
  g_clear_pointer (&self->time, g_date_time_unref);
  self->time = time != NULL ? g_date_time_ref (time) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIME]);
}

/**
 * lers_audit_entry_get_user_id:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:user-id.
 *
 * Returns: the user who did it; 0 for the system or a user since deleted.
 *
 * Since: 0.5
 */
gint64
lers_audit_entry_get_user_id (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), 0);
  return self->user_id;
}

/**
 * lers_audit_entry_set_user_id:
 * @self: a #LersAuditEntry
 * @user_id: the new value
 *
 * Sets #LersAuditEntry:user-id.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_user_id (LersAuditEntry *self, gint64 user_id)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (self->user_id == user_id)
    return;
  self->user_id = user_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USER_ID]);
}

/**
 * lers_audit_entry_get_login:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:login.
 *
 * Returns: (nullable): the login of who did it (kept when the user is deleted), or the OS user of a
 * command-line run.
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_login (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->login;
}

/**
 * lers_audit_entry_set_login:
 * @self: a #LersAuditEntry
 * @login: (nullable): the new value
 *
 * Sets #LersAuditEntry:login.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_login (LersAuditEntry *self, const gchar *login)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->login, login) == 0)
    return;
  g_free (self->login);
  self->login = g_strdup (login);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOGIN]);
}

/**
 * lers_audit_entry_get_action:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:action.
 *
 * Returns: (nullable): what was done: `create`, `update`, `delete`, `login`, `login-failed`,
 * `logout`, `token-create`, `token-revoke`, `password`, `poll`, …
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_action (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->action;
}

/**
 * lers_audit_entry_set_action:
 * @self: a #LersAuditEntry
 * @action: (nullable): the new value
 *
 * Sets #LersAuditEntry:action.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_action (LersAuditEntry *self, const gchar *action)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->action, action) == 0)
    return;
  g_free (self->action);
  self->action = g_strdup (action);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTION]);
}

/**
 * lers_audit_entry_get_entity:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:entity.
 *
 * Returns: (nullable): what it was done to: `node`, `measure-point`, `device`, `connection`,
 * `territory`, `node-group`, `user`, `session`, `poll-job`, …
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_entity (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->entity;
}

/**
 * lers_audit_entry_set_entity:
 * @self: a #LersAuditEntry
 * @entity: (nullable): the new value
 *
 * Sets #LersAuditEntry:entity.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_entity (LersAuditEntry *self, const gchar *entity)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->entity, entity) == 0)
    return;
  g_free (self->entity);
  self->entity = g_strdup (entity);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENTITY]);
}

/**
 * lers_audit_entry_get_entity_id:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:entity-id.
 *
 * Returns: the id of the object; 0 for none.
 *
 * Since: 0.5
 */
gint64
lers_audit_entry_get_entity_id (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), 0);
  return self->entity_id;
}

/**
 * lers_audit_entry_set_entity_id:
 * @self: a #LersAuditEntry
 * @entity_id: the new value
 *
 * Sets #LersAuditEntry:entity-id.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_entity_id (LersAuditEntry *self, gint64 entity_id)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (self->entity_id == entity_id)
    return;
  self->entity_id = entity_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENTITY_ID]);
}

/**
 * lers_audit_entry_get_before:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:before.
 *
 * Returns: (nullable): the object before the change as JSON object text, secrets masked; %NULL for
 * none.
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_before (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->before;
}

/**
 * lers_audit_entry_set_before:
 * @self: a #LersAuditEntry
 * @before: (nullable): the new value
 *
 * Sets #LersAuditEntry:before.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_before (LersAuditEntry *self, const gchar *before)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->before, before) == 0)
    return;
  g_free (self->before);
  self->before = g_strdup (before);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BEFORE]);
}

/**
 * lers_audit_entry_get_after:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:after.
 *
 * Returns: (nullable): the object after the change as JSON object text, secrets masked; %NULL for
 * none.
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_after (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->after;
}

/**
 * lers_audit_entry_set_after:
 * @self: a #LersAuditEntry
 * @after: (nullable): the new value
 *
 * Sets #LersAuditEntry:after.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_after (LersAuditEntry *self, const gchar *after)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->after, after) == 0)
    return;
  g_free (self->after);
  self->after = g_strdup (after);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_AFTER]);
}

/**
 * lers_audit_entry_get_address:
 * @self: a #LersAuditEntry
 *
 * Gets #LersAuditEntry:address.
 *
 * Returns: (nullable): the client's network address; %NULL for none.
 *
 * Since: 0.5
 */
const gchar *
lers_audit_entry_get_address (LersAuditEntry *self)
{
  g_return_val_if_fail (LERS_IS_AUDIT_ENTRY (self), NULL);
  return self->address;
}

/**
 * lers_audit_entry_set_address:
 * @self: a #LersAuditEntry
 * @address: (nullable): the new value
 *
 * Sets #LersAuditEntry:address.
 *
 * Since: 0.5
 */
void
lers_audit_entry_set_address (LersAuditEntry *self, const gchar *address)
{
  g_return_if_fail (LERS_IS_AUDIT_ENTRY (self));
  if (g_strcmp0 (self->address, address) == 0)
    return;
  g_free (self->address);
  self->address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ADDRESS]);
}
