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
  validationDecision: {
    approvedSubject: 'Du är validerad som skolpersonal',
    approved: 'Goda nyheter: den nationella stödorganisationen har bekräftat att du arbetar på en skola. Nu kan du anmäla dig till utbildningar för validerad skolpersonal.',
    rejectedSubject: 'Din begäran om validering godkändes inte',
    rejected: 'Den nationella stödorganisationen kunde inte bekräfta att du arbetar på en skola.',
    reason: 'Motivering: {reason}',
    rejectedNext: 'Du kan rätta din profil och fråga igen.',
    action: 'Öppna min profil',
  },
};
export default sv;
