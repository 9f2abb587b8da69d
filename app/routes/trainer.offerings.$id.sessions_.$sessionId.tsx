import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { TextField } from '~/components/forms';
import { SessionTime } from '~/components/session-time';
import { formatInstant } from '~/modules/catalogue/datetime';
import { translateMessage } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import type { TranslationKey } from '~/modules/i18n/keys';
import { translateKey } from '~/modules/i18n/translate';
import { asAttendanceSession, markAttendance, sessionAttendanceList, sessionOfOffering, setRecordingUrl } from '~/modules/live/attendance-admin.server';
import { previewAttendanceImport, saveAttendanceImport, sha256Hex, type ImportPreview } from '~/modules/live/attendance-import.server';
import { decodeReportCopy, encodeReportCopy, isReportContentType, readImportForm } from '~/modules/live/attendance-upload.server';
import { sessionStatus } from '~/modules/live/joining';
// The types module alone: the parsers (csv-parse) need Node's Buffer, which the browser bundle of this page does not have.
import { MAX_REPORT_BYTES, type ReportProblem } from '~/modules/live/reports/types';
import { MARK_VALUES, markSchema, recordingSchema, REPORT_COPY_FIELD, REPORT_FIELD } from '~/modules/live/schemas';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';
import { MAX_FORM_BYTES } from '~/modules/security/http-security';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { offeringPageTitle } from '~/modules/ui/meta';
import { timeZoneOptions } from '~/modules/users/reference-data.server';

/**
 * A session's attendance for the offering's trainers and admins
 * (`session.attendance.manage`; everyone else 404): every active
 * participant's attendance, manual marking, the recording link and the
 * import of attendance reports (preview, then save).
 *
 * The file name ends the "sessions" segment with `_` so this page renders in
 * the offering layout's outlet rather than inside the Sessions tab's list.
 */

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'attendance.title');

async function requireSession(context: LoaderFunctionArgs['context'], request: Request, params: LoaderFunctionArgs['params']) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'session.attendance.manage');
  if (!isUuid(params.sessionId)) notFound();
  const session = await sessionOfOffering(context.db, access.id, params.sessionId);
  if (!session) notFound();
  return { viewer, access, session };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access, session } = await requireSession(context, request, params);
  const now = new Date();
  const list = await sessionAttendanceList(context.db, session);
  return {
    offeringId: access.id,
    session: {
      id: session.id,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      organiserTimeZone: session.organiserTimeZone,
      durationMinutes: session.durationMinutes,
      thresholdPercent: session.attendanceThresholdPercent,
      status: sessionStatus(session, now),
      started: now >= session.startsAt,
      recordingUrl: session.recordingUrl,
    },
    threshold: list.threshold,
    participants: list.participants.map((p) => ({ ...p, marking: p.marking ? { ...p.marking, at: p.marking.at?.toISOString() ?? null } : null })),
    imports: list.imports.map((i) => ({ ...i, importedAt: i.importedAt.toISOString() })),
    timeZones: timeZoneOptions(),
    viewerTimeZone: viewer.timeZone,
  };
}

type Message = { key: TranslationKey; params?: Record<string, string | number> };

type ActionData =
  | { intent: 'recording'; result: SubmissionResult<string[]> | null; error?: Message }
  | { intent: 'mark'; userId: string; result: SubmissionResult<string[]> | null; error?: Message }
  | { intent: 'import'; error: Message; fileName?: string }
  | { intent: 'preview'; preview: ImportPreview; copy: string; fileName: string; timeZone: string };

function problemMessage(problem: ReportProblem): Message {
  const key = `attendance.reportProblems.${problem.code}` as TranslationKey;
  switch (problem.code) {
    case 'too-large':
      return { key, params: { maxBytes: problem.maxBytes } };
    case 'missing-columns':
      return { key, params: { line: problem.line, columns: problem.columns.join(', ') } };
    case 'bad-date':
      return { key, params: { line: problem.line, value: problem.value } };
    case 'bad-row':
      return { key, params: { line: problem.line } };
    case 'bad-time-zone':
      return { key, params: { zone: problem.zone } };
    default:
      return { key };
  }
}

const recordingRefusal = (reason: 'not-started' | 'cancelled'): Message => ({
  key: reason === 'cancelled' ? 'attendance.recording.cancelled' : 'attendance.recording.notStarted',
});

const megabytes = (bytes: number) => String(Math.round(bytes / (1024 * 1024)));

async function importAction(context: ActionFunctionArgs['context'], request: Request, target: { session: Awaited<ReturnType<typeof requireSession>>['session']; actorId: string; here: string }) {
  const read = await readImportForm(request);
  if (!read.ok) {
    const error: Message = read.problem === 'too-large' ? { key: 'attendance.import.tooLarge', params: { size: megabytes(MAX_REPORT_BYTES) } } : { key: 'attendance.import.unreadable' };
    // Whatever of a refused body is still coming is not read; close the connection instead of draining it.
    return data<ActionData>({ intent: 'import', error }, { status: read.status, headers: read.status === 413 ? { Connection: 'close' } : undefined });
  }
  const form = read.form;
  const zoneField = form.get('timeZone');
  const timeZone = typeof zoneField === 'string' && zoneField !== '' ? zoneField : null;
  const session = asAttendanceSession(target.session);

  if (form.get('intent') === 'preview') {
    const file = form.get(REPORT_FIELD);
    if (!(file instanceof File) || file.size === 0) return data<ActionData>({ intent: 'import', error: { key: 'attendance.import.noFile' } }, { status: 400 });
    if (!isReportContentType(file.type)) return data<ActionData>({ intent: 'import', error: { key: 'attendance.import.wrongType' }, fileName: file.name }, { status: 415 });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const previewed = await previewAttendanceImport(context.db, session, { bytes, timeZone });
    if (!previewed.ok) return data<ActionData>({ intent: 'import', error: problemMessage(previewed.problem), fileName: file.name }, { status: 422 });
    return data<ActionData>({ intent: 'preview', preview: previewed.preview, copy: encodeReportCopy(bytes), fileName: file.name, timeZone: timeZone ?? '' });
  }

  if (form.get('intent') === 'save') {
    const copy = form.get(REPORT_COPY_FIELD);
    const sha = form.get('sha256');
    const fileName = String(form.get('fileName') ?? '');
    const bytes = typeof copy === 'string' ? decodeReportCopy(copy) : null;
    // The file travels through the browser between the steps: save only the very bytes that were previewed.
    if (!bytes || bytes.length === 0 || typeof sha !== 'string' || sha256Hex(bytes) !== sha) {
      return data<ActionData>({ intent: 'import', error: { key: 'attendance.import.changed' } }, { status: 400 });
    }
    const saved = await saveAttendanceImport(context, { session, bytes, fileName, timeZone, actorId: target.actorId }, new Date());
    if (!saved.ok) return data<ActionData>({ intent: 'import', error: problemMessage(saved.problem), fileName }, { status: 422 });
    if (saved.status === 'already-imported') return redirectWithFlash(context, request, target.here, { key: 'attendance.flash.alreadyImported', tone: 'info' });
    const counts = Object.fromEntries(Object.entries(saved.summary).map(([k, v]) => [k, String(v)]));
    return redirectWithFlash(context, request, target.here, { key: 'attendance.flash.imported', params: counts, tone: 'success' });
  }
  return data<ActionData>({ intent: 'import', error: { key: 'attendance.import.unreadable' } }, { status: 400 });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, session } = await requireSession(context, request, params);
  const here = `/trainer/offerings/${session.offeringId}/sessions/${session.id}`;
  if ((request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    return importAction(context, request, { session, actorId: viewer.id, here });
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_FORM_BYTES) throw data({ message: 'The form is too large.' }, { status: 413 });
  const formData = await readFormData(request);
  const now = new Date();
  const intent = formData.get('intent');

  if (intent === 'recording') {
    const submission = parseWithZod(formData, { schema: recordingSchema });
    if (submission.status !== 'success') return data<ActionData>({ intent: 'recording', result: submission.reply() }, { status: 400 });
    const outcome = await setRecordingUrl(context, { session, url: submission.value.recordingUrl, actorId: viewer.id }, now);
    if (!outcome.ok) return data<ActionData>({ intent: 'recording', result: null, error: recordingRefusal(outcome.reason) }, { status: 409 });
    return redirectWithFlash(context, request, here, { key: 'attendance.flash.recordingPublished', tone: 'success' });
  }

  if (intent === 'clear-recording') {
    const outcome = await setRecordingUrl(context, { session, url: null, actorId: viewer.id }, now);
    if (!outcome.ok) return data<ActionData>({ intent: 'recording', result: null, error: recordingRefusal(outcome.reason) }, { status: 409 });
    return redirectWithFlash(context, request, here, { key: 'attendance.flash.recordingCleared', tone: 'success' });
  }

  if (intent === 'mark') {
    const userId = String(formData.get('userId') ?? '');
    const submission = parseWithZod(formData, { schema: markSchema });
    if (submission.status !== 'success') return data<ActionData>({ intent: 'mark', userId, result: submission.reply() }, { status: 400 });
    const outcome = await markAttendance(context, { session, ...submission.value, actorId: viewer.id }, now);
    if (!outcome.ok) return data<ActionData>({ intent: 'mark', userId, result: null, error: { key: 'attendance.mark.notParticipant' } }, { status: 409 });
    return redirectWithFlash(context, request, here, { key: 'attendance.flash.marked', tone: 'success' });
  }

  return data<ActionData>({ intent: 'import', error: { key: 'errors.invalidChoice' } }, { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function ErrorText({ message, id }: { message?: Message; id?: string }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <div className="form-error" role="alert" id={id}>
      <p style={{ margin: 0 }}>{translateKey(t, message.key, message.params)}</p>
    </div>
  );
}

function RecordingForm({ session, actionData }: { session: LoaderData['session']; actionData?: ActionData }) {
  const { t } = useTranslation();
  const lastResult = actionData?.intent === 'recording' ? actionData.result : null;
  const [form, fields] = useForm({
    id: 'recording',
    lastResult: lastResult ?? undefined,
    constraint: getZodConstraint(recordingSchema),
    defaultValue: { recordingUrl: session.recordingUrl ?? '' },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: recordingSchema }),
  });
  return (
    <section className="page" aria-labelledby="recording-heading">
      <h2 id="recording-heading" style={{ marginTop: 0 }}>
        {t('attendance.recording.heading')}
      </h2>
      {actionData?.intent === 'recording' ? <ErrorText message={actionData.error} /> : null}
      {session.status === 'cancelled' ? (
        <p>{t('attendance.recording.cancelled')}</p>
      ) : !session.started ? (
        <p>{t('attendance.recording.notStarted')}</p>
      ) : (
        <>
          <Form method="post" className="stack" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="recording" />
            <TextField meta={fields.recordingUrl} type="url" label={t('attendance.recording.url')} hint={t('attendance.recording.hint')} />
            <div className="actions">
              <button type="submit">{t('attendance.recording.publish')}</button>
            </div>
          </Form>
          {session.recordingUrl ? (
            <Form method="post" style={{ marginTop: '0.5rem' }}>
              <button type="submit" name="intent" value="clear-recording" className="link-button">
                {t('attendance.recording.clear')}
              </button>
            </Form>
          ) : null}
        </>
      )}
    </section>
  );
}

function MarkForm({ userId, name, actionData }: { userId: string; name: string; actionData?: ActionData }) {
  const { t } = useTranslation();
  const mine = actionData?.intent === 'mark' && actionData.userId === userId ? actionData : null;
  const fieldErrors = mine?.result?.error ?? {};
  const reasonError = fieldErrors.reason?.[0] ?? fieldErrors.value?.[0];
  const errorId = `mark-${userId}-error`;
  return (
    <Form method="post" className="actions" style={{ alignItems: 'flex-end' }} aria-label={t('attendance.mark.formNamed', { name })}>
      <input type="hidden" name="intent" value="mark" />
      <input type="hidden" name="userId" value={userId} />
      <div className="field" style={{ margin: 0 }}>
        <label htmlFor={`mark-${userId}-value`}>{t('attendance.mark.value')}</label>
        <select id={`mark-${userId}-value`} name="value" defaultValue="attended">
          {MARK_VALUES.map((value) => (
            <option key={value} value={value}>
              {t(`attendance.mark.values.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field" style={{ margin: 0 }}>
        <label htmlFor={`mark-${userId}-reason`}>{t('attendance.mark.reason')}</label>
        <input
          id={`mark-${userId}-reason`}
          name="reason"
          required
          maxLength={500}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError || mine?.error ? errorId : undefined}
        />
      </div>
      <button type="submit">{t('attendance.mark.submit')}</button>
      {reasonError ? (
        <p id={errorId} className="error" style={{ flexBasis: '100%', margin: 0 }}>
          {translateMessage(t, reasonError)}
        </p>
      ) : (
        <ErrorText message={mine?.error} id={errorId} />
      )}
    </Form>
  );
}

function ImportSection({ loaderData, actionData }: { loaderData: LoaderData; actionData?: ActionData }) {
  const { t } = useTranslation();
  const { session } = loaderData;
  const preview = actionData?.intent === 'preview' ? actionData : null;
  return (
    <section className="page" aria-labelledby="import-heading">
      <h2 id="import-heading" style={{ marginTop: 0 }}>
        {t('attendance.import.heading')}
      </h2>
      <p className="muted">{t('attendance.import.intro', { size: megabytes(MAX_REPORT_BYTES) })}</p>
      {actionData?.intent === 'import' ? <ErrorText message={actionData.error} /> : null}
      <Form method="post" encType="multipart/form-data" className="stack">
        <input type="hidden" name="intent" value="preview" />
        <div className="field">
          <label htmlFor="report-file">{t('attendance.import.file')}</label>
          <input id="report-file" type="file" name={REPORT_FIELD} accept=".csv,.txt,text/csv,text/plain" required />
        </div>
        <div className="field">
          <label htmlFor="report-zone">{t('attendance.import.timeZone')}</label>
          <p id="report-zone-hint" className="hint">
            {t('attendance.import.timeZoneHint')}
          </p>
          <select id="report-zone" name="timeZone" defaultValue={preview?.timeZone || session.organiserTimeZone} aria-describedby="report-zone-hint">
            {loaderData.timeZones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">{t('attendance.import.preview')}</button>
        </div>
      </Form>
      {preview ? <ImportPreviewView preview={preview.preview} fileName={preview.fileName} copy={preview.copy} /> : null}
    </section>
  );
}

function ImportPreviewView({ preview, fileName, copy }: { preview: ImportPreview; fileName: string; copy: string }) {
  const { t } = useTranslation();
  const { summary } = preview;
  return (
    <section aria-labelledby="preview-heading" style={{ marginTop: '1.5rem' }}>
      <h3 id="preview-heading">{t('attendance.import.previewHeading', { file: fileName })}</h3>
      <p>
        {t(`attendance.import.formats.${preview.format}`)}
        {preview.timeZone ? ` · ${t('attendance.import.readInZone', { zone: preview.timeZone })}` : null}
      </p>
      <p role="status">{t('attendance.import.summary', { matched: summary.matched, attended: summary.attended, belowThreshold: summary.belowThreshold, unmatched: summary.unmatched })}</p>
      {preview.organiserRows > 0 ? <p className="muted">{t('attendance.import.organiserIgnored', { count: preview.organiserRows })}</p> : null}
      {preview.outsideSession ? (
        <div className="flash flash--error" role="note">
          {t('attendance.import.outsideSession')}
        </div>
      ) : null}
      {preview.matched.length > 0 ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('attendance.import.matched')}>
          <table>
            <caption>{t('attendance.import.matched')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('attendance.participant')}</th>
                <th scope="col">{t('attendance.minutes')}</th>
                <th scope="col">{t('attendance.result')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.matched.map((m) => (
                <tr key={m.userId}>
                  <td>
                    {m.name}
                    <div className="muted">{m.email}</div>
                  </td>
                  <td>{m.minutes}</td>
                  <td>
                    <span className={`badge ${m.attended ? 'badge--ok' : 'badge--warn'}`}>{m.attended ? t('attendance.attended') : t('attendance.belowThreshold')}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {preview.unmatched.length > 0 ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('attendance.import.unmatched')}>
          <table>
            <caption>{t('attendance.import.unmatched')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('attendance.import.line')}</th>
                <th scope="col">{t('attendance.participant')}</th>
                <th scope="col">{t('attendance.minutes')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.unmatched.map((u) => (
                <tr key={`${u.line}-${u.email ?? ''}`}>
                  <td>{u.line}</td>
                  <td>
                    {u.name}
                    <div className="muted">{u.email ?? t('attendance.import.noEmail')}</div>
                  </td>
                  <td>{u.minutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" style={{ marginTop: '1rem' }}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name={REPORT_COPY_FIELD} value={copy} />
        <input type="hidden" name="sha256" value={preview.fileSha256} />
        <input type="hidden" name="fileName" value={fileName} />
        <input type="hidden" name="timeZone" value={preview.timeZone ?? ''} />
        <button type="submit">{t('attendance.import.save')}</button>
      </Form>
    </section>
  );
}

export default function SessionAttendancePage() {
  const { t, i18n } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const location = useLocation();
  const { session, participants, threshold, imports, viewerTimeZone, offeringId } = loaderData;
  const locale = i18n.language;
  const when = (iso: string) => formatInstant(iso, 'dateTime', viewerTimeZone, locale);
  return (
    <>
      <section className="page" aria-labelledby="attendance-heading">
        <p style={{ margin: '0 0 0.5rem' }}>
          <Link to={`/trainer/offerings/${offeringId}/sessions`}>{t('attendance.back')}</Link> · <Link to={`/sessions/${session.id}`}>{t('attendance.sessionPage')}</Link>
        </p>
        <h2 id="attendance-heading" style={{ marginTop: 0 }}>
          {t('attendance.heading', { title: session.title })}
        </h2>
        <p>
          <SessionTime startsAt={session.startsAt} organiserTimeZone={session.organiserTimeZone} timeZone={viewerTimeZone} locale={locale} /> ·{' '}
          {t('sessionPage.minutes', { count: session.durationMinutes })} · {t(`sessionPage.status.${session.status}`)}
        </p>
        <p>{t('attendance.threshold', { minutes: threshold, length: session.durationMinutes, percent: session.thresholdPercent })}</p>
        <p className="muted">{t('attendance.rules')}</p>
        {participants.length === 0 ? (
          <p>{t('attendance.noParticipants')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('attendance.participants')}>
            <table>
              <caption>{t('attendance.participantsCount', { count: participants.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('attendance.participant')}</th>
                  <th scope="col">{t('attendance.result')}</th>
                  <th scope="col">{t('attendance.source')}</th>
                  <th scope="col">{t('attendance.minutes')}</th>
                  <th scope="col">{t('attendance.marking')}</th>
                  <th scope="col">{t('attendance.mark.heading')}</th>
                </tr>
              </thead>
              <tbody>
                {participants.map((p) => (
                  <tr key={`${p.userId}-${location.key}`}>
                    <td>
                      {p.name}
                      <div className="muted">{p.email}</div>
                    </td>
                    <td>
                      <span className={`badge ${p.attendance.attended ? 'badge--ok' : 'badge--neutral'}`}>
                        {p.attendance.attended ? t('attendance.attended') : t('attendance.notAttended')}
                      </span>
                    </td>
                    <td>{t(`attendance.sources.${p.attendance.source}`)}</td>
                    <td>{p.attendance.minutes ?? '–'}</td>
                    <td>
                      {p.marking && p.marking.at ? (
                        <>
                          {t(`attendance.mark.values.${p.marking.attended === null ? 'clear' : p.marking.attended ? 'attended' : 'not-attended'}`)}
                          <div className="muted" suppressHydrationWarning>
                            {t('attendance.markedBy', { name: p.marking.by ?? '–', when: when(p.marking.at) })}
                          </div>
                          <div className="muted">{p.marking.reason}</div>
                        </>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                    <td>
                      <MarkForm userId={p.userId} name={p.name} actionData={actionData} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RecordingForm key={`recording-${location.key}`} session={session} actionData={actionData} />
      <ImportSection loaderData={loaderData} actionData={actionData} />
      {imports.length > 0 ? (
        <section className="page" aria-labelledby="imports-heading">
          <h2 id="imports-heading" style={{ marginTop: 0 }}>
            {t('attendance.imports.heading')}
          </h2>
          <ul>
            {imports.map((i) => (
              <li key={i.id} suppressHydrationWarning>
                {t('attendance.imports.item', {
                  file: i.fileName || t(`attendance.import.formats.${i.format as 'zoom' | 'teams' | 'generic'}`),
                  when: when(i.importedAt),
                  matched: i.summary.matched,
                  attended: i.summary.attended,
                  unmatched: i.summary.unmatched,
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
