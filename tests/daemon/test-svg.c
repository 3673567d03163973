/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SVG sanitiser of mnemonic diagrams (daemon/lersd-svg.c): hostile
 * drawings lose what could run or fetch, bad ones are refused with
 * LERS_ERROR_INVALID_ARGUMENT, a normal drawing keeps its shapes and text.
 * Expected outputs are written by hand from the inputs. */
#include "config.h"

#include <lers-check.h>
#include <string.h>

#include "lersd-svg.h"

static gchar *
sanitize (const gchar *svg, gint *width, gint *height)
{
  g_autoptr (GError) error = NULL;
  gchar *out = lersd_svg_sanitize (svg, strlen (svg), width, height, &error);

  ck_assert_msg (out != NULL, "%s: %s", svg, error != NULL ? error->message : "");
  return out;
}

/* A drawing of a heat point: shapes, text, a gradient by fragment, a use */
START_TEST (test_svg_normal_kept)
{
  const gchar *in
      = "<?xml version=\"1.0\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "width=\"1024\" height=\"768\" viewBox=\"0 0 10 10\">"
        "<!-- a comment -->"
        "<defs><linearGradient id=\"g1\"><stop offset=\"0\" stop-color=\"#f00\"/>"
        "</linearGradient></defs>"
        "<rect x=\"10\" y=\"20\" width=\"100\" height=\"50\" fill=\"url(#g1)\"/>"
        "<circle cx=\"5\" cy=\"5\" r=\"3\" stroke=\"blue\"/>"
        "<text x=\"1\" y=\"2\" font-size=\"14\">Котельная &amp; ИТП <tspan>T1</tspan></text>"
        "<use xlink:href=\"#g1\"/>"
        "</svg>";
  gint w = 0, h = 0;
  g_autofree gchar *out = sanitize (in, &w, &h);

  ck_assert_str_eq (
      out, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "width=\"1024\" height=\"768\" viewBox=\"0 0 10 10\">"
           "<defs><linearGradient id=\"g1\"><stop offset=\"0\" stop-color=\"#f00\"></stop>"
           "</linearGradient></defs>"
           "<rect x=\"10\" y=\"20\" width=\"100\" height=\"50\" fill=\"url(#g1)\"></rect>"
           "<circle cx=\"5\" cy=\"5\" r=\"3\" stroke=\"blue\"></circle>"
           "<text x=\"1\" y=\"2\" font-size=\"14\">Котельная &amp; ИТП <tspan>T1</tspan></text>"
           "<use xlink:href=\"#g1\"></use>"
           "</svg>");
  ck_assert_int_eq (w, 1024);
  ck_assert_int_eq (h, 768);
}
END_TEST

/* script, foreignObject, on* attributes, javascript: and external hrefs */
START_TEST (test_svg_hostile_removed)
{
  const gchar *in
      = "<svg onload=\"alert(1)\" viewBox=\"0 0 300.4 200\">"
        "<script>alert('x')</script>"
        "<script type=\"text/javascript\"><![CDATA[ alert(2) ]]></script>"
        "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">hi</div></foreignObject>"
        "<a href=\"javascript:alert(3)\"><rect width=\"1\" height=\"1\"/></a>"
        "<use href=\"https://evil.example/x.svg#a\"/>"
        "<use xlink:href=\"  jAvA&#x09;script:alert(4)\"/>"
        "<rect width=\"5\" height=\"5\" onclick=\"alert(5)\" OnMouseOver=\"alert(6)\" "
        "fill=\"url(https://evil.example/p)\" style=\"fill: url( 'http://e.example/x' )\"/>"
        "<image href=\"https://evil.example/p.png\"/>"
        "<image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>"
        "<image width=\"1\" height=\"1\" href=\"data:image/png;base64,iVBORw0KGgo=\"/>"
        "<style>@import url(https://evil.example/a.css); rect { fill: red }</style>"
        "<style>circle { fill: url(#g) }</style>"
        "</svg>";
  gint w = 0, h = 0;
  g_autofree gchar *out = sanitize (in, &w, &h);

  ck_assert_str_eq (out,
                    "<svg viewBox=\"0 0 300.4 200\" xmlns=\"http://www.w3.org/2000/svg\">"
                    /* the uses stay, without their hrefs */
                    "<use></use><use></use>"
                    "<rect width=\"5\" height=\"5\"></rect>"
                    "<image width=\"1\" height=\"1\" href=\"data:image/png;base64,iVBORw0KGgo=\">"
                    "</image>"
                    "<style>circle { fill: url(#g) }</style>"
                    "</svg>");
  /* viewBox 300.4 × 200, rounded */
  ck_assert_int_eq (w, 300);
  ck_assert_int_eq (h, 200);
}
END_TEST

/* The size: px lengths, else viewBox, else 800 × 600; bounded 1..10000 */
START_TEST (test_svg_size)
{
  static const struct
  {
    const gchar *svg;
    gint width, height;
  } cases[] = {
    { "<svg/>", 800, 600 },
    { "<svg width=\"50px\" height=\"40\"/>", 50, 40 },
    { "<svg width=\"100%\" height=\"5cm\" viewBox=\"0,0,640,480\"/>", 640, 480 },
    { "<svg width=\"99999\" height=\"0.2\"/>", 10000, 1 },
    { "<svg viewBox=\"0 0 bad 1\"/>", 800, 600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint w = 0, h = 0;
      g_autofree gchar *out = sanitize (cases[i].svg, &w, &h);

      ck_assert_msg (w == cases[i].width && h == cases[i].height, "%s: %d × %d", cases[i].svg, w,
                     h);
    }
}
END_TEST

/* Refused, each with INVALID_ARGUMENT and a message that says why */
START_TEST (test_svg_refused)
{
  static const struct
  {
    const gchar *svg;
    const gchar *message;
  } cases[] = {
    { "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><svg><text>&c;</text></svg>",
      "ENTITY" },
    { "<html><body/></html>", "not SVG" },
    { "<svg><rect></svg>", "well-formed" },
    { "", "well-formed" },
    { "just text", "well-formed" },
    { "<svg><text>&nbsp;</text></svg>", "well-formed" },
    /* a second root after the first closed (review of issue 15) */
    { "<svg/><svg><rect/></svg>", "more than one root" },
    { "<svg></svg><script>alert(1)</script>", "more than one root" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *out
          = lersd_svg_sanitize (cases[i].svg, strlen (cases[i].svg), NULL, NULL, &error);

      ck_assert_msg (out == NULL, "%s accepted: %s", cases[i].svg, out);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s: %s",
                     cases[i].svg, error->message);
      ck_assert_msg (strstr (error->message, cases[i].message) != NULL, "%s: %s", cases[i].svg,
                     error->message);
    }
}
END_TEST

/* 3 MiB of otherwise valid SVG: refused before it is parsed */
START_TEST (test_svg_too_large)
{
  gsize len = 3 * 1024 * 1024;
  GString *s = g_string_sized_new (len + 16);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;

  g_string_append (s, "<svg>");
  while (s->len < len)
    g_string_append (s, "<rect width=\"1\" height=\"1\"/>");
  g_string_append (s, "</svg>");
  out = lersd_svg_sanitize (s->str, s->len, NULL, NULL, &error);
  ck_assert_ptr_null (out);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                 error->message);
  ck_assert_msg (strstr (error->message, "2097152") != NULL, "%s", error->message);
  g_string_free (s, TRUE);
}
END_TEST

/* CSS that would fetch or escape the drawing (review of issue 15): CSS
 * escapes ("\\75" is "u", "\\69" is "i"), at-rules, image-set(), src(),
 * expression() are refused with their whole attribute or <style>; url()
 * keeps to fragments; "position" declarations are dropped. */
START_TEST (test_svg_css_bypass)
{
  const gchar *in
      = "<svg>"
        "<rect style=\"fill:\\75 rl(https://evil/x)\"/>"
        "<style>rect{background:\\75rl(https://evil/a)} @\\69mport \"https://evil/x.css\"</style>"
        "<rect style=\"fill:red;background:image-set(&quot;https://e/x&quot; 1x)\"/>"
        "<rect style=\"background:-webkit-image-set(&quot;https://e/x&quot; 1x)\"/>"
        "<style>rect{background:image-set(\"https://e/x\" 1x)}</style>"
        "<style>@font-face{font-family:f;src:url(#f)}</style>"
        "<style>rect{background:src(\"https://e/x\")}</style>"
        "<rect style=\"width:expression(alert(1))\"/>"
        "<rect style=\"fill:url(https://e/x)\"/>"
        "<rect fill=\"\\75rl(https://e/x)\"/>"
        "<rect style=\"/**/position:fixed\"/>"
        "<rect style=\"fill: url(#g); position: fixed; top:0\"/>"
        "<style>svg{position:absolute} rect{Position : fixed;fill:red}</style>"
        "</svg>";
  g_autofree gchar *out = sanitize (in, NULL, NULL);

  ck_assert_str_eq (out, "<svg xmlns=\"http://www.w3.org/2000/svg\">"
                         "<rect></rect>"              /* \\75 rl( */
                         "<rect></rect><rect></rect>" /* image-set */
                         "<rect></rect>"              /* expression */
                         "<rect></rect>"              /* url(https */
                         "<rect></rect>"              /* fill="\\75rl(" */
                         "<rect></rect>"              /* a comment */
                         "<rect style=\"fill: url(#g); top:0\"></rect>"
                         "<style>svg{} rect{fill:red}</style>"
                         "</svg>");
}
END_TEST

/* Nesting beyond 256 is refused (a browser's stack is not ours to spend) */
START_TEST (test_svg_deep)
{
  GString *s = g_string_new ("<svg>");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append (s, "<g>");
  for (guint i = 0; i < 300; i++)
    g_string_append (s, "</g>");
  g_string_append (s, "</svg>");
  out = lersd_svg_sanitize (s->str, s->len, NULL, NULL, &error);
  ck_assert_ptr_null (out);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                 error->message);
  g_string_free (s, TRUE);
}
END_TEST

static Suite *
svg_suite (void)
{
  Suite *s = suite_create ("svg");
  TCase *tc = tcase_create ("sanitize");

  tcase_add_test (tc, test_svg_normal_kept);
  tcase_add_test (tc, test_svg_hostile_removed);
  tcase_add_test (tc, test_svg_size);
  tcase_add_test (tc, test_svg_refused);
  tcase_add_test (tc, test_svg_too_large);
  tcase_add_test (tc, test_svg_deep);
  tcase_add_test (tc, test_svg_css_bypass);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (svg_suite ());
}
