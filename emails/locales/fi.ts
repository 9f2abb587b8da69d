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
  validationDecision: {
    approvedSubject: 'Sinut on vahvistettu koulun henkilökunnaksi',
    approved: 'Hyviä uutisia: kansallinen tukiorganisaatio on vahvistanut, että työskentelet koulussa. Voit nyt ilmoittautua koulun henkilökunnalle tarkoitettuihin koulutuksiin.',
    rejectedSubject: 'Vahvistuspyyntöäsi ei hyväksytty',
    rejected: 'Kansallinen tukiorganisaatio ei voinut vahvistaa, että työskentelet koulussa.',
    reason: 'Perustelu: {reason}',
    rejectedNext: 'Voit korjata profiiliasi ja pyytää vahvistusta uudelleen.',
    action: 'Avaa profiilini',
  },
};
export default fi;
