// SPDX-License-Identifier: LGPL-2.1-or-later
// What a table shows, as a file: CSV and XLSX.
//
// CSV: UTF-8 with a byte-order mark (so Excel reads Cyrillic right). In
// Russian the separator is ";" and numbers have a decimal comma ("71,3"),
// times "30.11.2026 14:00"; in English "," and a decimal point ("71.3"),
// times "2026-11-30 14:00". Times are the node's wall-clock time (the zone
// is named in the header); numbers are written in full, without grouping.
//
// XLSX: one sheet; the header row names each column with its unit; times
// are date cells (Excel serial numbers of the node's wall-clock time, format
// "dd.mm.yyyy hh:mm"); values are numeric cells with a number format of as
// many decimals as the column's values have (at most 6). The file is
// written here (a ZIP of stored entries, no library): a few kilobytes of
// code instead of a spreadsheet package in the bundle.
import { zonedParts } from './format';
import { language } from './i18n';

export type CellValue = string | number | null;

export interface ExportColumn {
  /** The header text, without the unit. */
  title: string;
  unit?: string;
  /** time: the cell is milliseconds since the epoch, shown in the zone. */
  type: 'time' | 'number' | 'text';
}

export interface ExportTable {
  columns: ExportColumn[];
  rows: CellValue[][];
  /** The IANA zone of the time columns (the node's). */
  zone?: string;
  /** The sheet's name (XLSX), at most 31 characters are kept. */
  sheet?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function header(c: ExportColumn): string {
  return c.unit ? `${c.title}, ${c.unit}` : c.title;
}

/** The wall-clock time of @ms in @zone as CSV writes it. */
export function csvTime(ms: number, zone: string | undefined, lang = language()): string {
  const p = zonedParts(new Date(ms), zone);
  return lang === 'ru'
    ? `${pad(p.d)}.${pad(p.m)}.${p.y} ${pad(p.h)}:${pad(p.min)}`
    : `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.h)}:${pad(p.min)}`;
}

/** @v as CSV writes it: full precision, the language's decimal mark. */
export function csvNumber(v: number, lang = language()): string {
  const s = String(v);
  return lang === 'ru' ? s.replace('.', ',') : s;
}

/** A text cell that a spreadsheet would take for a formula ("=…", "+…",
 * "-…", "@…") gets a leading apostrophe: opened in Excel or LibreOffice it
 * stays text and runs nothing. */
function textCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

function csvQuote(s: string, sep: string): string {
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of @table (without the byte-order mark). */
export function toCsv(table: ExportTable, lang = language()): string {
  const sep = lang === 'ru' ? ';' : ',';
  const lines = [table.columns.map((c) => csvQuote(header(c), sep)).join(sep)];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((c, i) => {
          const v = row[i];
          if (v === null || v === undefined) return '';
          if (c.type === 'time' && typeof v === 'number') return csvTime(v, table.zone, lang);
          if (c.type === 'number' && typeof v === 'number') return csvNumber(v, lang);
          return csvQuote(textCell(String(v)), sep);
        })
        .join(sep),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function csvBlob(table: ExportTable, lang = language()): Blob {
  return new Blob(['\ufeff' + toCsv(table, lang)], { type: 'text/csv;charset=utf-8' });
}

// ---- XLSX -------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of @files, stored (not compressed), names in UTF-8. */
export function zip(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  // 1 January 2026 00:00 in MS-DOS form: the entries' time is not the point
  const dosTime = 0;
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = enc.encode(f.name);
    const crc = crc32(f.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true);
    local.setUint16(8, 0, true);
    local.setUint16(10, dosTime, true);
    local.setUint16(12, dosDate, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, f.data.length, true);
    local.setUint32(22, f.data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(8, 0x0800, true);
    cd.setUint16(10, 0, true);
    cd.setUint16(12, dosTime, true);
    cd.setUint16(14, dosDate, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, f.data.length, true);
    cd.setUint32(24, f.data.length, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, f.data);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + f.data.length;
  }
  const cdSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Decimals @v needs (at most 6). */
function decimals(v: number): number {
  for (let k = 0; k < 6; k++) if (Math.abs(Math.round(v * 10 ** k) - v * 10 ** k) < 1e-9 * Math.max(1, Math.abs(v) * 10 ** k)) return k;
  return 6;
}

/** Excel's serial day number of @ms's wall-clock time in @zone. */
export function excelSerial(ms: number, zone: string | undefined): number {
  const p = zonedParts(new Date(ms), zone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) / 86400000 + 25569;
}

/** The XLSX file of @table. */
export function toXlsx(table: ExportTable): Uint8Array {
  const enc = new TextEncoder();
  // a number format per column: as many decimals as its values need
  const digits = table.columns.map((c, i) =>
    c.type === 'number' ? table.rows.reduce((k, r) => (typeof r[i] === 'number' ? Math.max(k, decimals(r[i] as number)) : k), 0) : 0,
  );
  // styles: 0 default, 1 bold header, 2 date-time, 3 + k: number with k decimals
  const numFmts = ['<numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy\\ hh:mm"/>'];
  for (let k = 0; k <= 6; k++)
    numFmts.push(`<numFmt numFmtId="${165 + k}" formatCode="${k === 0 ? '#,##0' : '#,##0.' + '0'.repeat(k)}"/>`);
  const xfs = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
  ];
  for (let k = 0; k <= 6; k++) xfs.push(`<xf numFmtId="${165 + k}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`);
  const styles =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>';

  const rows: string[] = [];
  const headRow = table.columns
    .map((c, i) => `<c r="${columnName(i)}1" t="inlineStr" s="1"><is><t>${xml(header(c))}</t></is></c>`)
    .join('');
  rows.push(`<row r="1">${headRow}</row>`);
  table.rows.forEach((row, ri) => {
    const r = ri + 2;
    const cells: string[] = [];
    table.columns.forEach((c, i) => {
      const v = row[i];
      if (v === null || v === undefined) return;
      const ref = `${columnName(i)}${r}`;
      if (c.type === 'time' && typeof v === 'number') cells.push(`<c r="${ref}" s="2"><v>${excelSerial(v, table.zone)}</v></c>`);
      else if (typeof v === 'number' && Number.isFinite(v)) cells.push(`<c r="${ref}" s="${3 + digits[i]}"><v>${v}</v></c>`);
      else cells.push(`<c r="${ref}" t="inlineStr"><is><t>${xml(String(v))}</t></is></c>`);
    });
    rows.push(`<row r="${r}">${cells.join('')}</row>`);
  });
  const widths = table.columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.type === 'time' ? 18 : Math.max(10, header(c).length + 2)}" customWidth="1"/>`)
    .join('');
  const sheet =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${widths}</cols><sheetData>${rows.join('')}</sheetData></worksheet>`;
  const sheetName = xml((table.sheet ?? 'Data').replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Data');
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '</Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '</Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '</Relationships>',
    'xl/worksheets/sheet1.xml': sheet,
    'xl/styles.xml': styles,
  };
  return zip(Object.entries(files).map(([name, text]) => ({ name, data: enc.encode(text) })));
}

export function xlsxBlob(table: ExportTable): Blob {
  return new Blob([toXlsx(table) as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

/** A file name without characters file systems refuse. */
export function fileName(parts: (string | number)[], extension: string): string {
  const base = parts
    .map((p) => String(p).trim().replace(/[\\/:*?"<>|\s]+/g, '_'))
    .filter(Boolean)
    .join('_');
  return `${base || 'export'}.${extension}`;
}

/** Offers @blob to the user as the download @name. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
