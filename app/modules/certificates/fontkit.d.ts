/** The part of fontkit (pdfkit's own font parser) the certificate fonts use: parse once, hand the font to pdfkit. */
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    layout(text: string): unknown;
    getGlyph(id: number, characters?: number[]): Glyph;
  }
  export interface Glyph {
    codePoints: number[];
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
