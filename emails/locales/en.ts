/** English email texts; the other languages follow this shape exactly (checked by the compiler). */
const en = {
  greeting: 'Hello {name},',
  signature: 'The Kollega team',
  verifyEmail: {
    subject: 'Confirm your email address',
    intro: 'Please confirm that this is your email address, so we can send you course news and your certificates.',
    action: 'Confirm my email address',
    footnote: 'The link works for 48 hours. If you did not create an account or change your address, ignore this message.',
  },
  resetPassword: {
    subject: 'Reset your password',
    intro: 'Someone (hopefully you) asked to reset the password of your account.',
    action: 'Choose a new password',
    footnote: 'The link works once, for one hour. If you did not ask for it, ignore this message: your password stays as it is.',
  },
  validationDecision: {
    approvedSubject: 'You are validated as school staff',
    approved: 'Good news: the national support organisation has confirmed that you work in a school. You can now enrol in offerings for validated school staff.',
    rejectedSubject: 'Your validation request was not approved',
    rejected: 'The national support organisation could not confirm that you work in a school.',
    reason: 'Their reason: {reason}',
    rejectedNext: 'You can correct your profile and ask again.',
    action: 'Open my profile',
  },
};
export default en;
export type EmailTexts = typeof en;
