/** The PDF check's form, shared by the page (its field) and the server (its limits). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const PDF_FIELD = 'pdf';
