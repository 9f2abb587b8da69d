import type { EmailTexts } from './en';

const nb: EmailTexts = {
  greeting: 'Hei {name},',
  signature: 'Hilsen Kollega',
  verifyEmail: {
    subject: 'Bekreft e-postadressen din',
    intro: 'Bekreft at dette er e-postadressen din, så vi kan sende deg nyheter om kurs og kursbevisene dine.',
    action: 'Bekreft e-postadressen min',
    footnote: 'Lenken virker i 48 timer. Hvis du ikke har opprettet en konto eller endret adressen, kan du se bort fra denne meldingen.',
  },
  resetPassword: {
    subject: 'Tilbakestill passordet ditt',
    intro: 'Noen (forhåpentligvis du) har bedt om å tilbakestille passordet til kontoen din.',
    action: 'Velg et nytt passord',
    footnote: 'Lenken virker én gang, i én time. Hvis du ikke har bedt om dette, kan du se bort fra meldingen: passordet ditt er uendret.',
  },
  validationDecision: {
    approvedSubject: 'Du er godkjent som skoleansatt',
    approved: 'Gode nyheter: den nasjonale støtteorganisasjonen har bekreftet at du jobber i en skole. Nå kan du melde deg på tilbud for godkjente skoleansatte.',
    rejectedSubject: 'Forespørselen din om godkjenning ble avslått',
    rejected: 'Den nasjonale støtteorganisasjonen kunne ikke bekrefte at du jobber i en skole.',
    reason: 'Begrunnelse: {reason}',
    rejectedNext: 'Du kan rette opp profilen din og spørre på nytt.',
    action: 'Åpne profilen min',
  },
};
export default nb;
