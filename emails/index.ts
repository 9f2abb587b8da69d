import type { RenderedEmail, SiteInfo } from './layout';
import { renderResetPassword, type ResetPasswordData } from './templates/reset-password';
import { renderValidationDecision, type ValidationDecisionData } from './templates/validation-decision';
import { renderVerifyEmail, type VerifyEmailData } from './templates/verify-email';
import type { EmailLocale } from './texts';

export type { EmailLocale, RenderedEmail, SiteInfo };

/** Every message the platform sends, with the data each needs. */
export interface EmailTemplates {
  'verify-email': VerifyEmailData;
  'reset-password': ResetPasswordData;
  'validation-decision': ValidationDecisionData;
}
export type EmailTemplateName = keyof EmailTemplates;

const renderers: { [K in EmailTemplateName]: (locale: EmailLocale, data: EmailTemplates[K], site: SiteInfo) => RenderedEmail } = {
  'verify-email': renderVerifyEmail,
  'reset-password': renderResetPassword,
  'validation-decision': renderValidationDecision,
};

export function renderEmail<K extends EmailTemplateName>(template: K, locale: EmailLocale, data: EmailTemplates[K], site: SiteInfo): RenderedEmail {
  return renderers[template](locale, data, site);
}
