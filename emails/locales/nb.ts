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
  assignmentReviewed: {
    acceptedSubject: 'Oppgaven din er godkjent: {activity}',
    returnedSubject: 'Oppgaven din trenger litt mer arbeid: {activity}',
    accepted: 'Kursholderen har godkjent arbeidet ditt med «{activity}» i «{title}». Aktiviteten er fullført.',
    returned: 'Kursholderen har sendt arbeidet ditt med «{activity}» i «{title}» tilbake med en tilbakemelding.',
    feedbackIntro: 'Tilbakemelding fra kursholderen:',
    returnedNext: 'Les tilbakemeldingen, forbedre arbeidet og lever det på nytt.',
    action: 'Åpne oppgaven',
  },
  discussionReply: {
    subject: '{replier} har svart på innlegget ditt',
    intro: '{replier} har svart på innlegget ditt i «{activity}» ({title}):',
    action: 'Les diskusjonen',
    footnote: 'Du får denne e-posten fordi noen har svart på innlegget ditt. Du kan slå av slike e-poster i profilen din.',
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
  enrolmentConfirmed: {
    subject: 'Du er påmeldt: {title}',
    intro: 'Du er påmeldt «{title}».',
    dates: 'Når: {dates}',
    next: 'På kurssiden finner du innholdet, direktesendingene og framdriften din.',
    action: 'Gå til kurset',
    footnote: 'Hvis du likevel ikke kan delta, meld deg av på tilbudssiden, så kan noen andre få plassen din: {offeringUrl}',
  },
  waitlistPromoted: {
    subject: 'Du har fått plass: {title}',
    intro: 'Gode nyheter: det ble ledig plass i «{title}», og du sto først på ventelisten. Nå er du påmeldt.',
    dates: 'Når: {dates}',
    next: 'På kurssiden finner du innholdet, direktesendingene og framdriften din.',
    action: 'Gå til kurset',
    footnote: 'Hvis du likevel ikke kan delta, meld deg av på tilbudssiden, så får neste person på ventelisten plassen: {offeringUrl}',
  },
  invitation: {
    subject: 'Du er invitert: {title}',
    greeting: 'Hei,',
    intro: '{inviter} inviterer deg til å delta i «{title}».',
    dates: 'Når: {dates}',
    howTo: 'Åpne lenken og logg inn med denne e-postadressen for å melde deg på. Har du ikke konto ennå? Opprett en med denne adressen, og åpne lenken på nytt.',
    action: 'Takk ja til invitasjonen',
    footnote: 'Lenken virker én gang og bare for denne e-postadressen. Hvis du ikke vil delta, kan du se bort fra denne meldingen.',
  },
};
export default nb;
