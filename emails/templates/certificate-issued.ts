import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

/** `reissued`: the same certificate issued again after the holder corrected their name. */
export type CertificateIssuedData = { name: string; offeringTitle: string; code: string; downloadUrl: string; verifyUrl: string; reissued: boolean };

export function renderCertificateIssued(locale: EmailLocale, data: CertificateIssuedData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.certificateIssued;
  const values = { title: data.offeringTitle, code: data.code, verifyUrl: data.verifyUrl };
  return renderLayout(
    {
      subject: fill(data.reissued ? t.reissuedSubject : t.subject, values),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [fill(data.reissued ? t.reissued : t.intro, values), fill(t.code, values), fill(t.verify, values)],
      action: { label: t.action, url: data.downloadUrl },
      footnote: t.footnote,
      signature: common.signature,
    },
    site,
    locale,
  );
}
