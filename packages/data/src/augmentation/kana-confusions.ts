/**
 * Groups of kana that Japanese shoppers confuse when they type or read quickly: look-alike katakana,
 * a missing or wrong voicing mark (dakuten or handakuten), and small kana typed full size. Any member
 * of a group may be swapped for any other member of the same group.
 */
const KANA_GROUPS: readonly string[] = [
  // Look-alike katakana.
  "シツ",
  "ソン",
  "クワ",
  "ヌス",
  "チテ",
  "コユ",
  // Look-alike hiragana.
  "ぬめ",
  "ねれわ",
  "るろ",
  "さち",
  "はほ",
  // Voicing marks on katakana.
  "ハバパ",
  "ヒビピ",
  "フブプ",
  "ヘベペ",
  "ホボポ",
  "カガ",
  "キギ",
  "サザ",
  "タダ",
  "トド",
  // Voicing marks on hiragana.
  "はばぱ",
  "ひびぴ",
  "ふぶぷ",
  "へべぺ",
  "かが",
  "ただ",
  // Small and full-size kana.
  "ッツ",
  "ャヤ",
  "ュユ",
  "ョヨ",
  "ァア",
  "ィイ",
  "ゥウ",
  "ェエ",
  "ォオ",
  "っつ",
  "ゃや",
  "ゅゆ",
  "ょよ",
];

function buildConfusions(groups: readonly string[]): Map<string, string[]> {
  const confusions = new Map<string, string[]>();
  for (const group of groups) {
    const members = Array.from(group);
    for (const member of members) {
      const others = members.filter((other) => other !== member);
      confusions.set(member, [...(confusions.get(member) ?? []), ...others]);
    }
  }
  return confusions;
}

/** Kana character to the kana it is confused with. Characters absent from the map have no known confusion. */
export const KANA_CONFUSIONS: ReadonlyMap<string, readonly string[]> = buildConfusions(KANA_GROUPS);
