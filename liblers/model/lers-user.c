/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "lers-enum-types.h"
#include "model/lers-user.h"

/**
 * LersUser:
 *
 * A user of the server (table `users`): who logs in, with which role
 * ([enum@Lers.UserRole]) and whether the account is enabled. The password
 * hash is not part of the model: [class@Lers.Accounts] sets and checks
 * passwords, and decides which nodes a user sees.
 *
 * Registered with the generic store, so [method@Lers.Store.list_sync] with
 * `LERS_TYPE_USER` lists users with filters, ordering and paging.
 *
 * Since: 0.5
 */
struct _LersUser
{
  GObject parent_instance;
  gint64 id;
  gchar *login;
  gchar *display_name;
  gchar *email;
  gchar *phone;
  LersUserRole role;
  gboolean enabled;
  gchar *language;
  GDateTime *created;
  GDateTime *password_changed;
  GDateTime *last_login;
};

G_DEFINE_TYPE (LersUser, lers_user, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_LOGIN,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_ROLE,
  PROP_ENABLED,
  PROP_LANGUAGE,
  PROP_CREATED,
  PROP_PASSWORD_CHANGED,
  PROP_LAST_LOGIN,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_user_finalize (GObject *object)
{
  LersUser *self = LERS_USER (object);

  g_free (self->login);
  g_free (self->display_name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->language);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->password_changed, g_date_time_unref);
  g_clear_pointer (&self->last_login, g_date_time_unref);

  G_OBJECT_CLASS (lers_user_parent_class)->finalize (object);
}

static void
lers_user_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersUser *self = LERS_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_PASSWORD_CHANGED:
      g_value_set_boxed (value, self->password_changed);
      break;
    case PROP_LAST_LOGIN:
      g_value_set_boxed (value, self->last_login);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_user_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersUser *self = LERS_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_user_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_LOGIN:
      lers_user_set_login (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      lers_user_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      lers_user_set_email (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      lers_user_set_phone (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      lers_user_set_role (self, g_value_get_enum (value));
      break;
    case PROP_ENABLED:
      lers_user_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_LANGUAGE:
      lers_user_set_language (self, g_value_get_string (value));
      break;
    case PROP_CREATED:
      lers_user_set_created (self, g_value_get_boxed (value));
      break;
    case PROP_PASSWORD_CHANGED:
      lers_user_set_password_changed (self, g_value_get_boxed (value));
      break;
    case PROP_LAST_LOGIN:
      lers_user_set_last_login (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_user_class_init (LersUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_user_finalize;
  object_class->get_property = lers_user_get_property;
  object_class->set_property = lers_user_set_property;

  /**
   * LersUser:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.5
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:login:
   *
   * The name the user logs in with: 1 to 64 of `A–Z a–z 0–9 _ . @ -`, unique regardless of case.
   *
   * Since: 0.5
   */
  props[PROP_LOGIN]
      = g_param_spec_string ("login", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:display-name:
   *
   * The name people see (`Иванов И. И.`); %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_DISPLAY_NAME]
      = g_param_spec_string ("display-name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:email:
   *
   * E-mail address; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_EMAIL]
      = g_param_spec_string ("email", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:phone:
   *
   * Phone number; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_PHONE]
      = g_param_spec_string ("phone", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:role:
   *
   * What the user may do.
   *
   * Since: 0.5
   */
  props[PROP_ROLE]
      = g_param_spec_enum ("role", NULL, NULL, LERS_TYPE_USER_ROLE, LERS_USER_ROLE_VIEWER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:enabled:
   *
   * Whether the user may log in; a disabled user's sessions and tokens stop working at once.
   *
   * Since: 0.5
   */
  props[PROP_ENABLED]
      = g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:language:
   *
   * The language of the user's messages: `ru`, `en`, or %NULL for the server's.
   *
   * Since: 0.5
   */
  props[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:created:
   *
   * When the user was created.
   *
   * Since: 0.5
   */
  props[PROP_CREATED]
      = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:password-changed:
   *
   * When the password was last set; %NULL if never.
   *
   * Since: 0.5
   */
  props[PROP_PASSWORD_CHANGED]
      = g_param_spec_boxed ("password-changed", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersUser:last-login:
   *
   * When the user last logged in with a password; %NULL if never.
   *
   * Since: 0.5
   */
  props[PROP_LAST_LOGIN]
      = g_param_spec_boxed ("last-login", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_user_init (LersUser *self)
{
  self->role = LERS_USER_ROLE_VIEWER;
  self->enabled = TRUE;
}

/**
 * lers_user_new:
 *
 * Returns: (transfer full): a new, unsaved #LersUser
 *
 * Since: 0.5
 */
LersUser *
lers_user_new (void)
{
  return g_object_new (LERS_TYPE_USER, NULL);
}

/**
 * lers_user_get_id:
 * @self: a #LersUser
 *
 * Gets #LersUser:id.
 *
 * Returns: database id; 0 until stored.
 *
 * Since: 0.5
 */
gint64
lers_user_get_id (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), 0);
  return self->id;
}

/**
 * lers_user_set_id:
 * @self: a #LersUser
 * @id: the new value
 *
 * Sets #LersUser:id.
 *
 * Since: 0.5
 */
void
lers_user_set_id (LersUser *self, gint64 id)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_user_get_login:
 * @self: a #LersUser
 *
 * Gets #LersUser:login.
 *
 * Returns: (nullable): the name the user logs in with: 1 to 64 of `A–Z a–z 0–9 _ . @ -`, unique
 * regardless of case.
 *
 * Since: 0.5
 */
const gchar *
lers_user_get_login (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->login;
}

/**
 * lers_user_set_login:
 * @self: a #LersUser
 * @login: (nullable): the new value
 *
 * Sets #LersUser:login.
 *
 * Since: 0.5
 */
void
lers_user_set_login (LersUser *self, const gchar *login)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (g_strcmp0 (self->login, login) == 0)
    return;
  g_free (self->login);
  self->login = g_strdup (login);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOGIN]);
}

/**
 * lers_user_get_display_name:
 * @self: a #LersUser
 *
 * Gets #LersUser:display-name.
 *
 * Returns: (nullable): the name people see (`Иванов И. И.`); %NULL for none.
 *
 * Since: 0.5
 */
const gchar *
lers_user_get_display_name (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->display_name;
}

/**
 * lers_user_set_display_name:
 * @self: a #LersUser
 * @display_name: (nullable): the new value
 *
 * Sets #LersUser:display-name.
 *
 * Since: 0.5
 */
void
lers_user_set_display_name (LersUser *self, const gchar *display_name)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (g_strcmp0 (self->display_name, display_name) == 0)
    return;
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DISPLAY_NAME]);
}

/**
 * lers_user_get_email:
 * @self: a #LersUser
 *
 * Gets #LersUser:email.
 *
 * Returns: (nullable): e-mail address; %NULL for none.
 *
 * Since: 0.5
 */
const gchar *
lers_user_get_email (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->email;
}

/**
 * lers_user_set_email:
 * @self: a #LersUser
 * @email: (nullable): the new value
 *
 * Sets #LersUser:email.
 *
 * Since: 0.5
 */
void
lers_user_set_email (LersUser *self, const gchar *email)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (g_strcmp0 (self->email, email) == 0)
    return;
  g_free (self->email);
  self->email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EMAIL]);
}

/**
 * lers_user_get_phone:
 * @self: a #LersUser
 *
 * Gets #LersUser:phone.
 *
 * Returns: (nullable): phone number; %NULL for none.
 *
 * Since: 0.5
 */
const gchar *
lers_user_get_phone (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->phone;
}

/**
 * lers_user_set_phone:
 * @self: a #LersUser
 * @phone: (nullable): the new value
 *
 * Sets #LersUser:phone.
 *
 * Since: 0.5
 */
void
lers_user_set_phone (LersUser *self, const gchar *phone)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (g_strcmp0 (self->phone, phone) == 0)
    return;
  g_free (self->phone);
  self->phone = g_strdup (phone);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PHONE]);
}

/**
 * lers_user_get_role:
 * @self: a #LersUser
 *
 * Gets #LersUser:role.
 *
 * Returns: what the user may do.
 *
 * Since: 0.5
 */
LersUserRole
lers_user_get_role (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), LERS_USER_ROLE_VIEWER);
  return self->role;
}

/**
 * lers_user_set_role:
 * @self: a #LersUser
 * @role: the new value
 *
 * Sets #LersUser:role.
 *
 * Since: 0.5
 */
void
lers_user_set_role (LersUser *self, LersUserRole role)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ROLE]);
}

/**
 * lers_user_get_enabled:
 * @self: a #LersUser
 *
 * Gets #LersUser:enabled.
 *
 * Returns: whether the user may log in; a disabled user's sessions and tokens stop working at once.
 *
 * Since: 0.5
 */
gboolean
lers_user_get_enabled (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), FALSE);
  return self->enabled;
}

/**
 * lers_user_set_enabled:
 * @self: a #LersUser
 * @enabled: the new value
 *
 * Sets #LersUser:enabled.
 *
 * Since: 0.5
 */
void
lers_user_set_enabled (LersUser *self, gboolean enabled)
{
  g_return_if_fail (LERS_IS_USER (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENABLED]);
}

/**
 * lers_user_get_language:
 * @self: a #LersUser
 *
 * Gets #LersUser:language.
 *
 * Returns: (nullable): the language of the user's messages: `ru`, `en`, or %NULL for the server's.
 *
 * Since: 0.5
 */
const gchar *
lers_user_get_language (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->language;
}

/**
 * lers_user_set_language:
 * @self: a #LersUser
 * @language: (nullable): the new value
 *
 * Sets #LersUser:language.
 *
 * Since: 0.5
 */
void
lers_user_set_language (LersUser *self, const gchar *language)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LANGUAGE]);
}

/**
 * lers_user_get_created:
 * @self: a #LersUser
 *
 * Gets #LersUser:created.
 *
 * Returns: (nullable) (transfer none): when the user was created.
 *
 * Since: 0.5
 */
GDateTime *
lers_user_get_created (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->created;
}

/**
 * lers_user_set_created:
 * @self: a #LersUser
 * @created: (nullable): the new value
 *
 * Sets #LersUser:created.
 *
 * Since: 0.5
 */
void
lers_user_set_created (LersUser *self, GDateTime *created)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (self->created == created
      || (self->created != NULL && created != NULL && g_date_time_equal (self->created, created)))
    return;
  g_clear_pointer (&self->created, g_date_time_unref);
  self->created = created != NULL ? g_date_time_ref (created) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CREATED]);
}

/**
 * lers_user_get_password_changed:
 * @self: a #LersUser
 *
 * Gets #LersUser:password-changed.
 *
 * Returns: (nullable) (transfer none): when the password was last set; %NULL if never.
 *
 * Since: 0.5
 */
GDateTime *
lers_user_get_password_changed (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->password_changed;
}

/**
 * lers_user_set_password_changed:
 * @self: a #LersUser
 * @password_changed: (nullable): the new value
 *
 * Sets #LersUser:password-changed.
 *
 * Since: 0.5
 */
void
lers_user_set_password_changed (LersUser *self, GDateTime *password_changed)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (self->password_changed == password_changed
      || (self->password_changed != NULL && password_changed != NULL
          && g_date_time_equal (self->password_changed, password_changed)))
    return;
  g_clear_pointer (&self->password_changed, g_date_time_unref);
  self->password_changed = password_changed != NULL ? g_date_time_ref (password_changed) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PASSWORD_CHANGED]);
}

/**
 * lers_user_get_last_login:
 * @self: a #LersUser
 *
 * Gets #LersUser:last-login.
 *
 * Returns: (nullable) (transfer none): when the user last logged in with a password; %NULL if
 * never.
 *
 * Since: 0.5
 */
GDateTime *
lers_user_get_last_login (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), NULL);
  return self->last_login;
}

/**
 * lers_user_set_last_login:
 * @self: a #LersUser
 * @last_login: (nullable): the new value
 *
 * Sets #LersUser:last-login.
 *
 * Since: 0.5
 */
void
lers_user_set_last_login (LersUser *self, GDateTime *last_login)
{
  g_return_if_fail (LERS_IS_USER (self));
  if (self->last_login == last_login
      || (self->last_login != NULL && last_login != NULL
          && g_date_time_equal (self->last_login, last_login)))
    return;
  g_clear_pointer (&self->last_login, g_date_time_unref);
  self->last_login = last_login != NULL ? g_date_time_ref (last_login) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAST_LOGIN]);
}

/**
 * lers_user_can_write:
 * @self: a #LersUser
 *
 * Whether the user's role may change objects and their data: an admin or
 * an operator (a viewer and a subscriber only read).
 *
 * Returns: %TRUE for an admin or an operator
 *
 * Since: 0.5
 */
gboolean
lers_user_can_write (LersUser *self)
{
  g_return_val_if_fail (LERS_IS_USER (self), FALSE);
  return self->role == LERS_USER_ROLE_ADMIN || self->role == LERS_USER_ROLE_OPERATOR;
}
