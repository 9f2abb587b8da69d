import type { EmailTexts } from './en';

const fi: EmailTexts = {
  greeting: 'Hei {name},',
  signature: 'Terveisin Kollega',
  verifyEmail: {
    subject: 'Vahvista sähköpostiosoitteesi',
    intro: 'Vahvista, että tämä on sähköpostiosoitteesi, niin voimme lähettää sinulle kurssiuutiset ja todistuksesi.',
    action: 'Vahvista sähköpostiosoitteeni',
    footnote: 'Linkki toimii 48 tuntia. Jos et luonut tiliä tai vaihtanut osoitettasi, voit jättää tämän viestin huomiotta.',
  },
  resetPassword: {
    subject: 'Vaihda salasanasi',
    intro: 'Joku (toivottavasti sinä) pyysi tilisi salasanan vaihtamista.',
    action: 'Valitse uusi salasana',
    footnote: 'Linkki toimii kerran ja tunnin ajan. Jos et pyytänyt sitä, voit jättää viestin huomiotta: salasanasi pysyy ennallaan.',
  },
  assignmentReviewed: {
    acceptedSubject: 'Tehtäväsi on hyväksytty: {activity}',
    returnedSubject: 'Tehtäväsi kaipaa vielä työstämistä: {activity}',
    accepted: 'Kouluttaja on hyväksynyt työsi tehtävässä ”{activity}” kurssilla ”{title}”. Aktiviteetti on suoritettu.',
    returned: 'Kouluttaja on palauttanut työsi tehtävässä ”{activity}” kurssilla ”{title}” palautteen kera.',
    feedbackIntro: 'Kouluttajan palaute:',
    returnedNext: 'Lue palaute, paranna työtäsi ja palauta se uudelleen.',
    action: 'Avaa tehtävä',
  },
  discussionReply: {
    subject: '{replier} vastasi viestiisi',
    intro: '{replier} vastasi viestiisi keskustelussa ”{activity}” ({title}):',
    action: 'Lue keskustelu',
    footnote: 'Saat tämän viestin, koska joku vastasi viestiisi. Voit poistaa nämä sähköpostit käytöstä profiilissasi.',
  },
  validationDecision: {
    approvedSubject: 'Sinut on vahvistettu koulun henkilökunnaksi',
    approved: 'Hyviä uutisia: kansallinen tukiorganisaatio on vahvistanut, että työskentelet koulussa. Voit nyt ilmoittautua koulun henkilökunnalle tarkoitettuihin koulutuksiin.',
    rejectedSubject: 'Vahvistuspyyntöäsi ei hyväksytty',
    rejected: 'Kansallinen tukiorganisaatio ei voinut vahvistaa, että työskentelet koulussa.',
    reason: 'Perustelu: {reason}',
    rejectedNext: 'Voit korjata profiiliasi ja pyytää vahvistusta uudelleen.',
    action: 'Avaa profiilini',
  },
  enrolmentConfirmed: {
    subject: 'Olet ilmoittautunut: {title}',
    intro: 'Olet ilmoittautunut koulutukseen ”{title}”.',
    dates: 'Milloin: {dates}',
    next: 'Kurssisivulta löydät materiaalit, suorat lähetykset ja edistymisesi.',
    action: 'Siirry kurssille',
    footnote: 'Jos et pääsekään osallistumaan, peru ilmoittautumisesi koulutuksen sivulla, jotta joku toinen saa paikkasi: {offeringUrl}',
  },
  waitlistPromoted: {
    subject: 'Sait paikan: {title}',
    intro: 'Hyviä uutisia: koulutuksesta ”{title}” vapautui paikka, ja olit jonossa ensimmäisenä. Olet nyt ilmoittautunut.',
    dates: 'Milloin: {dates}',
    next: 'Kurssisivulta löydät materiaalit, suorat lähetykset ja edistymisesi.',
    action: 'Siirry kurssille',
    footnote: 'Jos et pääsekään osallistumaan, peru ilmoittautumisesi koulutuksen sivulla, jotta jonossa seuraavana oleva saa paikan: {offeringUrl}',
  },
  invitation: {
    subject: 'Sinut on kutsuttu: {title}',
    greeting: 'Hei,',
    intro: '{inviter} kutsuu sinut osallistumaan koulutukseen ”{title}”.',
    dates: 'Milloin: {dates}',
    howTo: 'Avaa linkki ja kirjaudu sisään tällä sähköpostiosoitteella ilmoittautuaksesi. Eikö sinulla ole vielä tiliä? Luo tili tällä osoitteella ja avaa linkki sitten uudelleen.',
    action: 'Hyväksy kutsu',
    footnote: 'Linkki toimii kerran ja vain tälle sähköpostiosoitteelle. Jos et halua osallistua, voit jättää tämän viestin huomiotta.',
  },
};
export default fi;
