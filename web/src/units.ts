// SPDX-License-Identifier: LGPL-2.1-or-later
// The archive's unit codes (docs/api.md: "degC", "m3/h") as readers write
// them ("°C", "м³/ч"), and the flags of a value in words.
import { t } from './i18n';

export function unitLabel(code: string): string {
  switch (code) {
    case 'degC':
      return t('°C');
    case 'K':
      return t('K');
    case 't':
      return t('t');
    case 'm3':
      return t('m³');
    case 'Gcal':
      return t('Gcal');
    case 'MPa':
      return t('MPa');
    case 'kPa':
      return t('kPa');
    case 'kWh':
      return t('kWh');
    case 'kvarh':
      return t('kvar·h');
    case 'kW':
      return t('kW');
    case 'kvar':
      return t('kvar');
    case 'kVA':
      return t('kV·A');
    case 'V':
      return t('V');
    case 'A':
      return t('A');
    case 'Hz':
      return t('Hz');
    case 'deg':
      return '°';
    case 'h':
      return t('h');
    case 'percent':
      return '%';
    case 'm':
      return t('m');
    case 'Gcal/h':
      return t('Gcal/h');
    case 'm3/h':
      return t('m³/h');
    case 't/h':
      return t('t/h');
    case 'MJ/m3':
      return t('MJ/m³');
    case 'kg/m3':
      return t('kg/m³');
    case 'none':
    case 'coeff':
      return '';
    default:
      return code;
  }
}

export function flagLabel(flag: string): string {
  switch (flag) {
    case 'bad':
      return t('invalid');
    case 'calculated':
      return t('calculated');
    case 'interpolated':
      return t('interpolated');
    case 'reset':
      return t('counter reset');
    default:
      return flag;
  }
}
