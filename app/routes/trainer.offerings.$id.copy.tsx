import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { DateTime } from 'luxon';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField } from '~/components/forms';
import { FieldErrors, NumberField } from '~/components/forms';
import { ChoiceGroup } from '~/components/offering-fields';
import { message } from '~/modules/forms/messages';
import { serverT } from '~/modules/i18n/i18n';
import { translateKey } from '~/modules/i18n/translate';
import { findOffering } from '~/modules/offerings/authoring.server';
import { copyAsNewEdition, copyGapDays, gapWithinLimits } from '~/modules/offerings/authoring-copy.server';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { COPY_GAP_MAX_DAYS, copySchema } from '~/modules/offerings/schemas';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'authoring.layout.copy');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, canEdit } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  const offering = await findOffering(context.db, params.id!);
  if (!offering) notFound();
  const zone = offering.organiserTimeZone;
  // A year later on the same weekday: the usual rhythm of a yearly edition.
  const proposed = offering.startsAt ? DateTime.fromJSDate(offering.startsAt, { zone }).plus({ weeks: 52 }).toISODate() : null;
  return {
    offering: { id: offering.id, title: offering.title, startsAt: offering.startsAt, organiserTimeZone: zone },
    defaults: proposed ? { shiftBy: 'start', startDate: proposed, gapAmount: '52', gapUnit: 'weeks' } : { shiftBy: 'gap', gapAmount: '52', gapUnit: 'weeks' },
    canEdit,
    viewerTimeZone: viewer.timeZone,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingAuthoring(context, request, params.id, 'edit');
  const source = await findOffering(context.db, access.id);
  if (!source) notFound();
  const submission = parseWithZod(await readFormData(request), { schema: copySchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const gapDays = copyGapDays(submission.value, source.startsAt, source.organiserTimeZone);
  if (gapDays === null) {
    return data({ result: submission.reply({ fieldErrors: { startDate: [message('authoring.errors.copyNeedsStart')] } }) }, { status: 400 });
  }
  if (!gapWithinLimits(gapDays)) {
    const field = submission.value.shiftBy === 'start' ? 'startDate' : 'gapAmount';
    return data(
      { result: submission.reply({ fieldErrors: { [field]: [message('authoring.errors.copyGapTooLarge', { days: COPY_GAP_MAX_DAYS })] } }) },
      { status: 400 },
    );
  }
  const titleSuffix = translateKey(serverT(viewer.locale), 'authoring.copy.titleSuffix');
  const outcome = await copyAsNewEdition(context, { sourceId: source.id, actorId: viewer.id, gapDays, titleSuffix }, new Date());
  if (!outcome.ok) notFound();
  return redirectWithFlash(context, request, `/trainer/offerings/${outcome.id}`, {
    key: 'authoring.flash.copied',
    params: { title: source.title },
    tone: 'success',
  });
}

export default function CopyOffering() {
  const { t, i18n } = useTranslation();
  const { offering, defaults, canEdit, viewerTimeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'copy-edition',
    lastResult: actionData?.result,
    constraint: getZodConstraint(copySchema),
    defaultValue: defaults,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: copySchema }),
  });
  const startDateProps = getInputProps(fields.startDate, { type: 'date', ariaAttributes: true });
  return (
    <section className="page" aria-labelledby="copy-heading">
      <h2 id="copy-heading" style={{ marginTop: 0 }}>
        {t('authoring.copy.heading')}
      </h2>
      <p>{t('authoring.copy.intro')}</p>
      <p className="muted">
        {offering.startsAt
          ? t('authoring.copy.currentStart', {
              date: formatDateTime(offering.startsAt, offering.organiserTimeZone, i18n.language),
              zone: offering.organiserTimeZone,
            })
          : t('authoring.copy.noStart')}
      </p>
      {offering.startsAt && offering.organiserTimeZone !== viewerTimeZone ? (
        <p className="muted">{t('authoring.copy.yourTime', { date: formatDateTime(offering.startsAt, viewerTimeZone, i18n.language) })}</p>
      ) : null}
      {canEdit ? (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <ChoiceGroup
            meta={fields.shiftBy}
            type="radio"
            legend={t('authoring.copy.shiftBy')}
            options={[
              { value: 'start', label: t('authoring.copy.byStart') },
              { value: 'gap', label: t('authoring.copy.byGap') },
            ]}
          />
          <div className="field">
            <label htmlFor={fields.startDate.id}>
              {t('authoring.copy.startDate')} <span className="muted">({t('authoring.fields.inZone', { zone: offering.organiserTimeZone })})</span>
            </label>
            <input {...startDateProps} key={startDateProps.key} />
            <FieldErrors meta={fields.startDate} />
          </div>
          <div className="actions" style={{ alignItems: 'end' }}>
            <NumberField meta={fields.gapAmount} label={t('authoring.copy.gapAmount')} />
            <SelectField
              meta={fields.gapUnit}
              label={t('authoring.copy.gapUnit')}
              options={[
                { value: 'weeks', label: t('authoring.copy.weeks') },
                { value: 'days', label: t('authoring.copy.days') },
              ]}
            />
          </div>
          <p className="hint">{t('authoring.copy.dstHint')}</p>
          <div className="actions">
            <button type="submit">{t('authoring.copy.submit')}</button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
