import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * DejaVu (Latin with every European diacritic, Greek, Cyrillic), read and
 * parsed once per process. pdfkit would otherwise parse the TrueType file
 * again for every document (fontkit.create on the bytes), which costs more
 * than drawing a whole certificate; pdfkit 0.20 takes an already parsed
 * fontkit font, and each document still makes its own subset of it.
 */
export type CertificateFontName = 'sans' | 'sansBold' | 'serifBold';

const FILES: Record<CertificateFontName, string> = {
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
};

let parsed: Record<CertificateFontName, Font> | null = null;
let parseCount = 0;

function fontDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/**
 * fontkit caches one glyph object per glyph id, with the characters it was
 * first asked for; a subset asks for the components of an accented letter
 * (the Z of Ż) with none. In a font shared between documents a later
 * document's plain Z would then carry no characters, and its ToUnicode map
 * would lose the letter (copy-paste and pdftotext read "9YF RRP0" for
 * "9YFZRRP0"). So a glyph that has no characters yet takes those of the
 * first call that names some, as it would in a freshly parsed font.
 */
function keepGlyphCharacters(font: Font): Font {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id: number, characters: number[] = []) => {
    const glyph = getGlyph(id, characters);
    if (glyph.codePoints.length === 0 && characters.length > 0) glyph.codePoints = characters;
    return glyph;
  };
  return font;
}

export function certificateFonts(): Record<CertificateFontName, Font> {
  if (!parsed) {
    const directory = fontDirectory();
    const load = (file: string) => keepGlyphCharacters(create(readFileSync(path.join(directory, file))));
    parsed = { sans: load(FILES.sans), sansBold: load(FILES.sansBold), serifBold: load(FILES.serifBold) };
    parseCount += 1;
  }
  return parsed;
}

/** How many times the fonts were parsed in this process (the tests check it stays one). */
export function certificateFontParseCount(): number {
  return parseCount;
}
