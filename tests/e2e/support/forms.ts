import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';

/**
 * Form and route discovery for the bad-input suite: what a page's HTML offers
 * to submit (every <form>, its fields and its named submit buttons) and which
 * URLs the app answers (app/routes read the way Remix's flat routes do), so a
 * new form or route is probed without anyone listing it here.
 */

export interface FormField {
  name: string;
  /** input type (text, email, hidden, checkbox…), or 'select' / 'textarea'. */
  type: string;
  /** The value the page gives it: an input's value, a select's selected (or first) option, a textarea's text. */
  value: string;
  /** Checkboxes and radios: whether the page has it ticked (only ticked ones are sent, as a browser does). */
  checked: boolean;
  /** A select's option values. */
  options: string[];
  min?: string;
  max?: string;
  maxLength?: number;
  /** Out of the tab order (tabindex="-1"): a honeypot a person never fills in. */
  untabbable?: boolean;
}

export interface DiscoveredForm {
  /** The page the form was found on (pathname and search). */
  page: string;
  method: 'get' | 'post';
  /** Where it submits: pathname and search on the app's origin. */
  action: string;
  enctype: 'application/x-www-form-urlencoded' | 'multipart/form-data';
  id: string;
  fields: FormField[];
  /** The named submit button this variant is sent with (e.g. intent=publish), if any. */
  submitter?: { name: string; value: string };
}

interface OpenForm {
  form: Omit<DiscoveredForm, 'submitter'>;
  submitters: { name: string; value: string }[];
}

const SUBMIT_TYPES = new Set(['submit', 'image']);
const NOT_SENT = new Set(['button', 'reset']);

/**
 * Every form on a page, once per named submit button (a form with buttons
 * intent=save and intent=delete gives two variants). Fields outside the
 * <form> element that name it with form="…" are counted in, disabled fields
 * are not (a browser does not send them).
 */
export function parseForms(html: string, pageUrl: string): DiscoveredForm[] {
  const page = new URL(pageUrl);
  const forms: OpenForm[] = [];
  const byId = new Map<string, OpenForm>();
  const pendingByFormId: { formId: string; field?: FormField; submitter?: { name: string; value: string } }[] = [];
  let current: OpenForm | null = null;
  let select: { field: FormField; sawSelected: boolean; inOption: { value: string | null; text: string; selected: boolean } | null } | null = null;
  let textarea: { field: FormField; owner: OpenForm | null; formId?: string } | null = null;

  const ownerOf = (attribs: Record<string, string>): { owner: OpenForm | null; formId?: string } => {
    if (attribs.form !== undefined) return { owner: byId.get(attribs.form) ?? null, formId: attribs.form };
    return { owner: current };
  };
  const addField = (attribs: Record<string, string>, field: FormField) => {
    const { owner, formId } = ownerOf(attribs);
    if (owner) owner.form.fields.push(field);
    else if (formId !== undefined) pendingByFormId.push({ formId, field });
  };
  const addSubmitter = (attribs: Record<string, string>, submitter: { name: string; value: string }) => {
    const { owner, formId } = ownerOf(attribs);
    if (owner) owner.submitters.push(submitter);
    else if (formId !== undefined) pendingByFormId.push({ formId, submitter });
  };

  const parser = new Parser(
    {
      onopentag(tag, attribs) {
        if (tag === 'form') {
          const method = (attribs.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
          const target = new URL(attribs.action ?? page.pathname + page.search, page);
          const enctype = (attribs.enctype ?? '').toLowerCase() === 'multipart/form-data' ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
          current = {
            form: { page: page.pathname + page.search, method, action: target.pathname + target.search, enctype, id: attribs.id ?? '', fields: [] },
            submitters: [],
          };
          forms.push(current);
          if (attribs.id) byId.set(attribs.id, current);
          return;
        }
        if ('disabled' in attribs) return;
        if (tag === 'input') {
          const type = (attribs.type ?? 'text').toLowerCase();
          if (!attribs.name || NOT_SENT.has(type)) return;
          if (SUBMIT_TYPES.has(type)) {
            addSubmitter(attribs, { name: attribs.name, value: attribs.value ?? '' });
            return;
          }
          addField(attribs, {
            name: attribs.name,
            type,
            value: attribs.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''),
            checked: 'checked' in attribs,
            options: [],
            min: attribs.min,
            max: attribs.max,
            maxLength: attribs.maxlength ? Number(attribs.maxlength) : undefined,
            untabbable: attribs.tabindex === '-1',
          });
        } else if (tag === 'button') {
          const type = (attribs.type ?? 'submit').toLowerCase();
          if (type === 'submit' && attribs.name) addSubmitter(attribs, { name: attribs.name, value: attribs.value ?? '' });
        } else if (tag === 'select') {
          const field: FormField = { name: attribs.name ?? '', type: 'select', value: '', checked: false, options: [] };
          select = { field, sawSelected: false, inOption: null };
          if (attribs.name) addField(attribs, field);
        } else if (tag === 'option' && select) {
          select.inOption = { value: attribs.value ?? null, text: '', selected: 'selected' in attribs };
        } else if (tag === 'textarea') {
          const field: FormField = {
            name: attribs.name ?? '',
            type: 'textarea',
            value: '',
            checked: false,
            options: [],
            maxLength: attribs.maxlength ? Number(attribs.maxlength) : undefined,
          };
          textarea = { field, ...ownerOf(attribs) };
          if (attribs.name) addField(attribs, field);
        }
      },
      ontext(text) {
        if (select?.inOption) select.inOption.text += text;
        if (textarea) textarea.field.value += text;
      },
      onclosetag(tag) {
        if (tag === 'form') current = null;
        else if (tag === 'option' && select?.inOption) {
          const option = select.inOption;
          const value = option.value ?? option.text.trim();
          select.field.options.push(value);
          if (option.selected && !select.sawSelected) {
            select.field.value = value;
            select.sawSelected = true;
          }
          select.inOption = null;
        } else if (tag === 'select' && select) {
          if (!select.sawSelected) select.field.value = select.field.options[0] ?? '';
          select = null;
        } else if (tag === 'textarea' && textarea) {
          // A browser drops the one newline right after <textarea>.
          textarea.field.value = textarea.field.value.replace(/^\r?\n/, '');
          textarea = null;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  for (const pending of pendingByFormId) {
    const owner = byId.get(pending.formId);
    if (!owner) continue;
    if (pending.field) owner.form.fields.push(pending.field);
    if (pending.submitter) owner.submitters.push(pending.submitter);
  }

  return forms.flatMap(({ form, submitters }) => {
    const distinct = new Map(submitters.map((s) => [`${s.name}=${s.value}`, s]));
    if (distinct.size === 0) return [form];
    return [...distinct.values()].map((submitter) => ({ ...form, submitter }));
  });
}

/** Same-origin links on a page (href of <a> and <link rel=alternate>), as pathname and search. */
export function parseLinks(html: string, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const links = new Set<string>();
  const parser = new Parser(
    {
      onopentag(tag, attribs) {
        if (tag !== 'a' || !attribs.href) return;
        let url: URL;
        try {
          url = new URL(attribs.href, page);
        } catch {
          return;
        }
        if (url.origin !== page.origin) return;
        links.add(url.pathname + url.search);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return [...links];
}

// --- Routes -----------------------------------------------------------------------

export interface RoutePattern {
  /** The module's file name, e.g. "trainer.offerings.$id.sessions_.$sessionId.tsx". */
  file: string;
  /** URL segments: literals, and ":name" for a parameter. */
  segments: string[];
  /** Parameter names in order of appearance. */
  params: string[];
  /** Whether the module renders a page (a .tsx with a default export) rather than answering as a resource route. */
  page: boolean;
}

const routesDir = fileURLToPath(new URL('../../../app/routes', import.meta.url));

/** Splits a flat-routes file name at dots that are not inside [ ] escapes. */
function splitSegments(name: string): string[] {
  const segments: string[] = [];
  let segment = '';
  let escaped = false;
  for (const char of name) {
    if (char === '[') escaped = true;
    else if (char === ']') escaped = false;
    else if (char === '.' && !escaped) {
      segments.push(segment);
      segment = '';
    } else segment += char;
  }
  segments.push(segment);
  return segments;
}

/**
 * app/routes read as Remix's flat routes read them: "." separates URL
 * segments, "$x" is a parameter, "_index" is the parent's index, a leading
 * "_" is a pathless layout, a trailing "_" opts out of the parent layout but
 * keeps the segment, and "[.]" escapes a dot.
 */
export function routePatterns(): RoutePattern[] {
  return readdirSync(routesDir)
    .filter((file) => /\.(tsx?|jsx?)$/.test(file))
    .sort()
    .map((file) => {
      const base = file.replace(/\.(tsx?|jsx?)$/, '');
      const segments: string[] = [];
      const params: string[] = [];
      for (const raw of splitSegments(base)) {
        if (raw === '_index' || (raw.startsWith('_') && !raw.startsWith('_['))) continue;
        const segment = raw.endsWith('_') ? raw.slice(0, -1) : raw;
        // A parameter may carry a literal ending, as in "$token[.]ics" (React Router's ":token.ics").
        const param = /^\$([\w-]+)(.*)$/.exec(segment);
        if (param) {
          params.push(param[1]!);
          segments.push(`:${param[1]}${param[2]}`);
        } else segments.push(segment);
      }
      return { file, segments, params, page: path.extname(file) === '.tsx' };
    });
}

/** The URL path of a route with its parameters filled in (each value URL-encoded unless `raw`). */
export function fillRoute(route: RoutePattern, values: Record<string, string>, options: { raw?: boolean } = {}): string {
  const parts = route.segments.map((segment) => {
    const param = /^:([\w-]+)(.*)$/.exec(segment);
    if (!param) return segment;
    const value = values[param[1]!];
    if (value === undefined) throw new Error(`No value for :${param[1]} of ${route.file}`);
    return (options.raw ? value : encodeURIComponent(value)) + param[2];
  });
  return `/${parts.join('/')}`;
}

/** Which route answers a pathname (literal segments must match; parameters take any one segment). */
export function matchRoute(routes: RoutePattern[], pathname: string): RoutePattern | undefined {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  const candidates = routes.filter(
    (route) =>
      route.segments.length === parts.length &&
      route.segments.every((segment, i) => (segment.startsWith(':') ? parts[i]!.endsWith(/^:[\w-]+(.*)$/.exec(segment)![1]!) : segment === parts[i])),
  );
  // A literal beats a parameter (verify/credential over verify/:code).
  return candidates.sort((a, b) => literalCount(b) - literalCount(a))[0] ?? (pathname === '/' ? routes.find((r) => r.segments.length === 0) : undefined);
}

function literalCount(route: RoutePattern): number {
  return route.segments.reduce((score, segment) => score + (segment.startsWith(':') ? segment.replace(/^:[\w-]+/, '').length : 1000), 0);
}
