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
  assignmentReviewed: {
    acceptedSubject: 'Your assignment was accepted: {activity}',
    returnedSubject: 'Your assignment needs another look: {activity}',
    accepted: 'Your trainer accepted your work on “{activity}” in “{title}”. The activity is done.',
    returned: 'Your trainer returned your work on “{activity}” in “{title}” with feedback.',
    feedbackIntro: 'Feedback from your trainer:',
    returnedNext: 'Read the feedback, improve your work and submit it again.',
    action: 'Open the assignment',
  },
  discussionReply: {
    subject: '{replier} replied to your post',
    intro: '{replier} replied to your post in “{activity}” ({title}):',
    action: 'Read the discussion',
    footnote: 'You get this email because someone replied to your post. You can turn these emails off in your profile.',
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
  enrolmentConfirmed: {
    subject: 'You are enrolled: {title}',
    intro: 'You are enrolled in “{title}”.',
    dates: 'When: {dates}',
    next: 'The course page has the material, the live sessions and your progress.',
    action: 'Go to the course',
    footnote: 'If you can no longer take part, please unenrol on the offering page, so someone else can have your place: {offeringUrl}',
  },
  waitlistPromoted: {
    subject: 'A place is yours: {title}',
    intro: 'Good news: a place became free in “{title}” and you were next on the waitlist. You are now enrolled.',
    dates: 'When: {dates}',
    next: 'The course page has the material, the live sessions and your progress.',
    action: 'Go to the course',
    footnote: 'If you can no longer take part, please unenrol on the offering page, so the next person on the waitlist gets the place: {offeringUrl}',
  },
  invitation: {
    subject: 'You are invited: {title}',
    greeting: 'Hello,',
    intro: '{inviter} invites you to take part in “{title}”.',
    dates: 'When: {dates}',
    howTo: 'Open the link and sign in with this email address to enrol. No account yet? Create one with this address, then open the link again.',
    action: 'Accept the invitation',
    footnote: 'The link works once and only for this email address. If you do not want to take part, ignore this message.',
  },
};
export default en;
export type EmailTexts = typeof en;
