import type { EmailTexts } from './en';

const sv: EmailTexts = {
  greeting: 'Hej {name},',
  signature: 'Hälsningar, Kollega',
  verifyEmail: {
    subject: 'Bekräfta din e-postadress',
    intro: 'Bekräfta att det här är din e-postadress, så att vi kan skicka kursnyheter och dina intyg till dig.',
    action: 'Bekräfta min e-postadress',
    footnote: 'Länken fungerar i 48 timmar. Om du inte har skapat något konto eller ändrat din adress kan du bortse från meddelandet.',
  },
  resetPassword: {
    subject: 'Återställ ditt lösenord',
    intro: 'Någon (förhoppningsvis du) har bett om att få återställa lösenordet till ditt konto.',
    action: 'Välj ett nytt lösenord',
    footnote: 'Länken fungerar en gång, i en timme. Om du inte har bett om det kan du bortse från meddelandet: ditt lösenord är oförändrat.',
  },
  assignmentReviewed: {
    acceptedSubject: 'Din uppgift är godkänd: {activity}',
    returnedSubject: 'Din uppgift behöver bearbetas lite till: {activity}',
    accepted: 'Din utbildare har godkänt ditt arbete med ”{activity}” i ”{title}”. Aktiviteten är klar.',
    returned: 'Din utbildare har skickat tillbaka ditt arbete med ”{activity}” i ”{title}” med återkoppling.',
    feedbackIntro: 'Återkoppling från din utbildare:',
    returnedNext: 'Läs återkopplingen, förbättra ditt arbete och lämna in det igen.',
    action: 'Öppna uppgiften',
  },
  discussionReply: {
    subject: '{replier} har svarat på ditt inlägg',
    intro: '{replier} har svarat på ditt inlägg i ”{activity}” ({title}):',
    action: 'Läs diskussionen',
    footnote: 'Du får det här e-postmeddelandet eftersom någon har svarat på ditt inlägg. Du kan stänga av sådana meddelanden i din profil.',
  },
  validationDecision: {
    approvedSubject: 'Du är validerad som skolpersonal',
    approved: 'Goda nyheter: den nationella stödorganisationen har bekräftat att du arbetar på en skola. Nu kan du anmäla dig till utbildningar för validerad skolpersonal.',
    rejectedSubject: 'Din begäran om validering godkändes inte',
    rejected: 'Den nationella stödorganisationen kunde inte bekräfta att du arbetar på en skola.',
    reason: 'Motivering: {reason}',
    rejectedNext: 'Du kan rätta din profil och fråga igen.',
    action: 'Öppna min profil',
  },
  enrolmentConfirmed: {
    subject: 'Du är anmäld: {title}',
    intro: 'Du är anmäld till ”{title}”.',
    dates: 'När: {dates}',
    next: 'På kurssidan hittar du materialet, direktsändningarna och dina framsteg.',
    action: 'Gå till kursen',
    footnote: 'Om du inte längre kan delta, avanmäl dig på utbildningens sida så att någon annan kan få din plats: {offeringUrl}',
  },
  waitlistPromoted: {
    subject: 'Du har fått en plats: {title}',
    intro: 'Goda nyheter: en plats blev ledig i ”{title}” och du stod först på väntelistan. Nu är du anmäld.',
    dates: 'När: {dates}',
    next: 'På kurssidan hittar du materialet, direktsändningarna och dina framsteg.',
    action: 'Gå till kursen',
    footnote: 'Om du inte längre kan delta, avanmäl dig på utbildningens sida så att nästa person på väntelistan får platsen: {offeringUrl}',
  },
  invitation: {
    subject: 'Du är inbjuden: {title}',
    greeting: 'Hej,',
    intro: '{inviter} bjuder in dig att delta i ”{title}”.',
    dates: 'När: {dates}',
    howTo: 'Öppna länken och logga in med den här e-postadressen för att anmäla dig. Inget konto än? Skapa ett med den här adressen och öppna sedan länken igen.',
    action: 'Tacka ja till inbjudan',
    footnote: 'Länken fungerar en gång och bara för den här e-postadressen. Om du inte vill delta kan du bortse från det här meddelandet.',
  },
};
export default sv;
