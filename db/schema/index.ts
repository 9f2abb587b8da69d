export * from './users';
export * from './auth';
export * from './validation';
export * from './email';
export * from './offerings';
export * from './enrolment';
export * from './live';
export * from './certificates';
