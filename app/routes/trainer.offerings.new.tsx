import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField, TextField } from '~/components/forms';
import { ChoiceGroup } from '~/components/offering-fields';
import { createOffering } from '~/modules/offerings/authoring.server';
import { OFFERING_KINDS } from '~/modules/offerings/kinds';
import { languageOptions, newOfferingSchema, OFFERING_LANGUAGES, type NewOfferingForm } from '~/modules/offerings/schemas';
import { requirePermission } from '~/modules/policy/guard.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { timeZoneOptions } from '~/modules/users/reference-data.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('authoring.new.heading');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'offering.create' });
  const language = (OFFERING_LANGUAGES as readonly string[]).includes(viewer.locale) ? viewer.locale : 'en';
  return { languages: languageOptions(viewer.locale), timeZones: timeZoneOptions(), defaults: { language, organiserTimeZone: viewer.timeZone } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'offering.create' });
  const submission = parseWithZod(await readFormData(request), { schema: newOfferingSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const created = await createOffering(context, { ...submission.value, creatorId: viewer.id }, new Date());
  return redirectWithFlash(context, request, `/trainer/offerings/${created.id}`, {
    key: 'authoring.flash.created',
    params: { title: submission.value.title },
    tone: 'success',
  });
}

export default function NewOffering() {
  const { t } = useTranslation();
  const { languages, timeZones, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<NewOfferingForm>({
    id: 'new-offering',
    lastResult: actionData?.result,
    constraint: getZodConstraint(newOfferingSchema),
    defaultValue: defaults,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newOfferingSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('authoring.new.heading')}</h1>
      <p className="muted">{t('authoring.new.intro')}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <ChoiceGroup
          meta={fields.kind}
          type="radio"
          legend={t('authoring.fields.kind')}
          options={OFFERING_KINDS.map((kind) => ({ value: kind, label: t(`offerings.kinds.${kind}`), description: t(`authoring.kindHelp.${kind}`) }))}
        />
        <TextField meta={fields.title} label={t('authoring.fields.title')} hint={t('authoring.fields.titleHint')} />
        <SelectField meta={fields.language} label={t('authoring.fields.language')} options={languages} />
        <SelectField
          meta={fields.organiserTimeZone}
          label={t('authoring.fields.organiserTimeZone')}
          hint={t('authoring.fields.organiserTimeZoneHint')}
          options={timeZones.map((zone) => ({ value: zone, label: zone }))}
        />
        <div className="actions">
          <button type="submit">{t('authoring.new.submit')}</button>
          <Link to="/trainer">{t('common.cancel')}</Link>
        </div>
      </Form>
    </section>
  );
}
