import { Link } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { OfferingCard as Card } from '~/modules/catalogue/card';
import { OFFERING_KINDS, type OfferingKind } from '~/modules/offerings/kinds';

/**
 * The words every card of a list shares, translated once per list rather
 * than once per card: a catalogue page is mostly cards, and translating is
 * a good part of rendering one.
 */
function cardLabels(t: TFunction) {
  return {
    kinds: Object.fromEntries(OFFERING_KINDS.map((kind) => [kind, t(`offerings.kinds.${kind}`)])) as Record<OfferingKind, string>,
    dates: t('catalogue.card.dates'),
    datesTbc: t('catalogue.card.datesTbc'),
    language: t('catalogue.card.language'),
    effort: t('catalogue.card.effort'),
    waitlist: t('catalogue.card.waitlist'),
    full: t('catalogue.card.full'),
    staffOnly: t('catalogue.card.staffOnly'),
    invite: t('catalogue.card.invite'),
    openNow: t('catalogue.card.openNow'),
  };
}

type Labels = ReturnType<typeof cardLabels>;
type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

/** A card's badges: what a glance must tell, each in words, colour only helping. */
function badgesOf(card: Card, t: TFunction, labels: Labels): { text: string; tone: Tone }[] {
  const badges: { text: string; tone: Tone }[] = [];
  if (card.seats.state === 'left') badges.push({ text: t('catalogue.card.seatsLeft', { count: card.seats.count }), tone: 'ok' });
  if (card.seats.state === 'waitlist') badges.push({ text: labels.waitlist, tone: 'warn' });
  if (card.seats.state === 'full') badges.push({ text: labels.full, tone: 'bad' });
  if (card.eligibility === 'validated') badges.push({ text: labels.staffOnly, tone: 'neutral' });
  if (card.eligibility === 'invite') badges.push({ text: labels.invite, tone: 'neutral' });
  if (card.enrolmentOpen) badges.push({ text: labels.openNow, tone: 'ok' });
  return badges;
}

function renderCard(card: Card, t: TFunction, labels: Labels, headingLevel: 2 | 3) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const badges = badgesOf(card, t, labels);
  return (
    <article className="offering-card">
      <p className="offering-card__kind">{labels.kinds[card.kind]}</p>
      <Heading className="offering-card__title">
        <Link to={`/offerings/${card.slug}`}>{card.title}</Link>
      </Heading>
      {card.summary ? <p className="offering-card__summary">{card.summary}</p> : null}
      <dl className="offering-card__facts">
        <div>
          <dt>{labels.dates}</dt>
          <dd>{card.dates && card.startsAt ? <time dateTime={card.startsAt}>{card.dates}</time> : labels.datesTbc}</dd>
        </div>
        <div>
          <dt>{labels.language}</dt>
          <dd>{card.languageName}</dd>
        </div>
        {card.hours.count > 0 ? (
          <div>
            <dt>{labels.effort}</dt>
            <dd>{t('catalogue.card.hours', { count: card.hours.count, hours: card.hours.hours })}</dd>
          </div>
        ) : null}
      </dl>
      {badges.length > 0 ? (
        <ul className="offering-card__badges">
          {badges.map((badge) => (
            <li key={badge.text} className={`badge badge--${badge.tone}`}>
              {badge.text}
            </li>
          ))}
        </ul>
      ) : null}
      {card.trainers.length > 0 ? <p className="offering-card__trainers muted">{t('catalogue.card.trainers', { names: card.trainers.join(', ') })}</p> : null}
    </article>
  );
}

/**
 * One offering as a card: kind, title linking to its page, dates in the
 * viewer's zone, language, effort, places and who may enrol. The card's
 * texts come ready from the loader (app/modules/catalogue/card.ts).
 */
export function OfferingCard({ card, headingLevel = 3 }: { card: Card; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  return renderCard(card, t, cardLabels(t), headingLevel);
}

/**
 * Cards as a list, so screen readers announce how many there are. A page
 * that already has a translator may pass it (`t`), saving a useTranslation().
 */
export function OfferingCardList({ cards, headingLevel = 3, label, t }: { cards: Card[]; headingLevel?: 2 | 3; label?: string; t?: TFunction }) {
  return t ? <CardList cards={cards} headingLevel={headingLevel} label={label} t={t} /> : <TranslatedCardList cards={cards} headingLevel={headingLevel} label={label} />;
}

function TranslatedCardList(props: { cards: Card[]; headingLevel: 2 | 3; label?: string }) {
  const { t } = useTranslation();
  return <CardList {...props} t={t} />;
}

function CardList({ cards, headingLevel, label, t }: { cards: Card[]; headingLevel: 2 | 3; label?: string; t: TFunction }) {
  const labels = cardLabels(t);
  return (
    <ul className="offering-cards" aria-label={label}>
      {cards.map((card) => (
        <li key={card.slug}>{renderCard(card, t, labels, headingLevel)}</li>
      ))}
    </ul>
  );
}
