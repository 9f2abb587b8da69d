/** The cookie in which the browser's script records its time zone for visitors who have not signed in. */
export const TIME_ZONE_COOKIE = 'kollega_tz';
