/**
 * Chinese text with a break opportunity between words and nowhere else (with `word-break: keep-all`
 * in the stylesheet): a name wraps as 外汇兑换 / 及跨境汇款, never 个人现金业 / 务.
 *
 * The browser's word segmenter cuts a word its dictionary lacks into single characters (跨|境,
 * 身份|证|复印|件), so single characters are glued: a run of them is one unit (及跨境), and a lone
 * one joins the word before it (身份证|复印件). English wraps at its spaces anyway.
 */
export function zhWordUnits(text: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return [text];
  const segments = [...new Intl.Segmenter('zh-CN', { granularity: 'word' }).segment(text)].map(
    (s) => s.segment,
  );
  const units: string[] = [];
  for (let i = 0; i < segments.length; ) {
    let j = i;
    while (j < segments.length && [...segments[j]!].length === 1) j++;
    if (j - i >= 2) {
      units.push(segments.slice(i, j).join(''));
      i = j;
    } else if (j - i === 1) {
      if (units.length > 0) units[units.length - 1] += segments[i]!;
      else units.push(segments[i]!);
      i = j;
    } else {
      units.push(segments[i]!);
      i += 1;
    }
  }
  return units;
}
