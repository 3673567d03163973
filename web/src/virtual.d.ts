// SPDX-License-Identifier: LGPL-2.1-or-later
// Modules web/build.mjs makes at build time.
declare module 'virtual:ru-catalogue' {
  const catalogue: Record<string, string>;
  export default catalogue;
}
// Defined by web/build.mjs for the service worker.
declare const LERS_BUILD_ID: string;
declare const LERS_PRECACHE: string[];
