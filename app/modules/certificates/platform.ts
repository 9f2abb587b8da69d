/** The platform's name as certificates, credentials and the verification pages print it (the organising body comes from configuration). */
export const PLATFORM_NAME = 'Kollega';
