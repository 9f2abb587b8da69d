import type { FieldMetadata } from '@conform-to/react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SCHOOL_ROLES } from '~/modules/auth/schemas';
import { LOCALE_NAMES, LOCALES } from '~/modules/i18n/locales';
import { SelectField, TextField } from './forms';

type Meta = FieldMetadata<string | undefined>;

export interface ProfileFieldMetas {
  fullName: Meta;
  certificateName: Meta;
  country: Meta;
  school: Meta;
  schoolRole: Meta;
  locale: Meta;
  timeZone: Meta;
}

/** The person-and-school part shared by registration and the profile page. */
export function ProfileFields({
  fields,
  countries,
  timeZones,
  onDetectedTimeZone,
}: {
  fields: ProfileFieldMetas;
  countries: { value: string; label: string }[];
  timeZones: string[];
  /** Called once in the browser with the zone it detects, for forms that want it as the default. */
  onDetectedTimeZone?: (zone: string) => void;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && onDetectedTimeZone) onDetectedTimeZone(zone);
    // Only on first render: later changes are the person's own choice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <>
      <TextField meta={fields.fullName} label={t('auth.fields.fullName')} autoComplete="name" />
      <TextField meta={fields.certificateName} label={t('auth.fields.certificateName')} hint={t('auth.fields.certificateNameHint')} />
      <SelectField meta={fields.country} label={t('auth.fields.country')} placeholder={t('auth.fields.chooseCountry')} options={countries} autoComplete="country" />
      <TextField meta={fields.school} label={t('auth.fields.school')} autoComplete="organization" />
      <SelectField
        meta={fields.schoolRole}
        label={t('auth.fields.schoolRole')}
        placeholder={t('auth.fields.chooseSchoolRole')}
        options={SCHOOL_ROLES.map((role) => ({ value: role, label: t(`auth.schoolRoles.${role}`) }))}
      />
      <SelectField meta={fields.locale} label={t('auth.fields.language')} options={LOCALES.map((code) => ({ value: code, label: LOCALE_NAMES[code] }))} />
      <SelectField
        meta={fields.timeZone}
        label={t('auth.fields.timeZone')}
        hint={t('auth.fields.timeZoneHint')}
        options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }))}
      />
    </>
  );
}
