/**
 * Vocabulary of the demo catalog: product types, brands and attribute values in English, Spanish and
 * Japanese. The brands are invented. Each value has a stable key used for matching, so a query and a
 * product match on the value, not on its wording in one language.
 */

export type DemoLocale = "en" | "es" | "ja";

export const DEMO_LOCALES: readonly DemoLocale[] = ["en", "es", "ja"];

export type Localized = Readonly<Record<DemoLocale, string>>;

/** Attribute kinds, in the order they appear in English titles. */
export type AttributeKind = "size" | "voltage" | "color" | "material" | "pack";

export const ATTRIBUTE_KINDS: readonly AttributeKind[] = ["size", "voltage", "color", "material", "pack"];

export interface AttributeValue {
  key: string;
  text: Localized;
}

export interface ProductType {
  key: string;
  name: Localized;
  brands: readonly string[];
  attributes: Readonly<Partial<Record<AttributeKind, readonly AttributeValue[]>>>;
  /** Types used together with this one: judged C (complement) for a query of this type. */
  complements: readonly string[];
  /** Types too close to call irrelevant that are not complements either, so they are never judged for this type. */
  related?: readonly string[];
  /** Unrelated types whose names share a word with this one: preferred as irrelevant examples. */
  lookalikes?: readonly string[];
}

function value(key: string, en: string, es: string, ja: string): AttributeValue {
  return { key, text: { en, es, ja } };
}

function packs(...counts: number[]): AttributeValue[] {
  return counts.map((count) => value(`pack-${count}`, `${count}-Pack`, `paquete de ${count}`, `${count}個入り`));
}

const COLOR = {
  black: value("black", "Black", "negro", "ブラック"),
  white: value("white", "White", "blanco", "ホワイト"),
  blue: value("blue", "Blue", "azul", "ブルー"),
  gray: value("gray", "Gray", "gris", "グレー"),
  green: value("green", "Green", "verde", "グリーン"),
  red: value("red", "Red", "rojo", "レッド"),
  yellow: value("yellow", "Yellow", "amarillo", "イエロー"),
  chrome: value("chrome", "Chrome", "cromado", "クローム"),
  nickel: value("brushed-nickel", "Brushed Nickel", "níquel cepillado", "ブラッシュドニッケル"),
};

const MATERIAL = {
  steel: value("steel", "Steel", "acero", "スチール"),
  stainless: value("stainless-steel", "Stainless Steel", "acero inoxidable", "ステンレス"),
  titanium: value("titanium", "Titanium", "titanio", "チタン"),
  cobalt: value("cobalt", "Cobalt", "cobalto", "コバルト"),
  brass: value("brass", "Brass", "latón", "真鍮"),
  rubber: value("rubber", "Rubber", "goma", "ゴム"),
  vinyl: value("vinyl", "Vinyl", "vinilo", "ビニール"),
  microfiber: value("microfiber", "Microfiber", "microfibra", "マイクロファイバー"),
  foam: value("foam", "Foam", "espuma", "スポンジ"),
  nylon: value("nylon", "Nylon", "nailon", "ナイロン"),
  polyester: value("polyester", "Polyester", "poliéster", "ポリエステル"),
  metal: value("metal", "Metal", "metal", "金属"),
  plastic: value("plastic", "Plastic", "plástico", "プラスチック"),
  wood: value("wood", "Wood", "madera", "木製"),
  ceramic: value("ceramic", "Ceramic", "cerámica", "陶器"),
  cotton: value("cotton", "Cotton", "algodón", "綿"),
  leather: value("leather", "Leather", "cuero", "革"),
};

export const PRODUCT_TYPES: readonly ProductType[] = [
  {
    key: "power-drill",
    name: { en: "Power Drill", es: "taladro eléctrico", ja: "電動ドリル" },
    brands: ["Voltra", "Kestrel", "Ironbark", "Torvik"],
    attributes: {
      voltage: [value("12v", "12V", "12 V", "12V"), value("18v", "18V", "18 V", "18V"), value("20v", "20V", "20 V", "20V")],
      color: [COLOR.black, COLOR.blue, COLOR.red, COLOR.yellow],
    },
    complements: ["drill-bits", "screws"],
    lookalikes: ["power-strip"],
  },
  {
    key: "drill-bits",
    name: { en: "Drill Bit Set", es: "juego de brocas", ja: "ドリルビットセット" },
    brands: ["Voltra", "Kestrel", "Bitworks"],
    attributes: {
      material: [MATERIAL.titanium, MATERIAL.cobalt, MATERIAL.steel],
      pack: packs(10, 20, 29),
    },
    complements: ["power-drill", "screws"],
  },
  {
    key: "screws",
    name: { en: "Wood Screws", es: "tornillos para madera", ja: "木ネジ" },
    brands: ["Holdfast", "Ironbark", "Threadline"],
    attributes: {
      size: [value("8x1", "#8 x 1 in.", "4 x 25 mm", "4×25mm"), value("8x2", "#8 x 2 in.", "4 x 50 mm", "4×50mm"), value("10x3", "#10 x 3 in.", "5 x 75 mm", "5×75mm")],
      material: [MATERIAL.steel, MATERIAL.stainless, MATERIAL.brass],
      pack: packs(50, 100, 200),
    },
    complements: ["power-drill", "drill-bits"],
  },
  {
    key: "paint",
    name: { en: "Interior Paint", es: "pintura para interiores", ja: "室内用ペンキ" },
    brands: ["Colorwell", "Brightcoat", "Hartwell"],
    attributes: {
      size: [value("quart", "1 qt.", "1 l", "1L"), value("gallon", "1 gal.", "4 l", "4L"), value("5-gallon", "5 gal.", "19 l", "19L")],
      color: [COLOR.white, COLOR.blue, COLOR.gray, COLOR.green, COLOR.red],
    },
    complements: ["paint-roller", "paint-brush"],
  },
  {
    key: "paint-roller",
    name: { en: "Paint Roller", es: "rodillo de pintura", ja: "ペンキ用ローラー" },
    brands: ["Brightcoat", "Rollmaster", "Hartwell"],
    attributes: {
      size: [value("4in", "4 in.", "10 cm", "10cm"), value("9in", "9 in.", "23 cm", "23cm")],
      material: [MATERIAL.microfiber, MATERIAL.foam, MATERIAL.polyester],
    },
    complements: ["paint"],
    related: ["paint-brush"],
  },
  {
    key: "paint-brush",
    name: { en: "Paint Brush", es: "brocha de pintura", ja: "ペンキ用ハケ" },
    brands: ["Brightcoat", "Rollmaster", "Colorwell"],
    attributes: {
      size: [value("2in", "2 in.", "5 cm", "5cm"), value("3in", "3 in.", "7,5 cm", "7.5cm")],
      material: [MATERIAL.nylon, MATERIAL.polyester],
    },
    complements: ["paint"],
    related: ["paint-roller"],
  },
  {
    key: "light-bulb",
    name: { en: "LED Light Bulb", es: "bombilla LED", ja: "LED電球" },
    brands: ["Brightway", "Lumora", "Solvane"],
    attributes: {
      size: [value("a19", "A19", "A19", "A19"), value("br30", "BR30", "BR30", "BR30"), value("par38", "PAR38", "PAR38", "PAR38")],
      color: [value("soft-white", "Soft White", "blanco cálido", "電球色"), value("daylight", "Daylight", "luz de día", "昼光色")],
      pack: packs(1, 4, 8),
    },
    complements: ["lamp"],
    lookalikes: ["bulb-planter"],
  },
  {
    key: "lamp",
    name: { en: "Table Lamp", es: "lámpara de mesa", ja: "テーブルランプ" },
    brands: ["Lumora", "Hartwell", "Northpeak"],
    attributes: {
      color: [COLOR.black, COLOR.white, COLOR.gray],
      material: [MATERIAL.metal, MATERIAL.wood, MATERIAL.ceramic],
    },
    complements: ["light-bulb"],
  },
  {
    key: "garden-hose",
    name: { en: "Garden Hose", es: "manguera de jardín", ja: "ガーデンホース" },
    brands: ["Aqualine", "Greenreach", "Flowpro"],
    attributes: {
      size: [value("25ft", "25 ft.", "7,5 m", "7.5m"), value("50ft", "50 ft.", "15 m", "15m"), value("100ft", "100 ft.", "30 m", "30m")],
      material: [MATERIAL.rubber, MATERIAL.vinyl],
      color: [COLOR.green, COLOR.black, COLOR.blue],
    },
    complements: ["hose-nozzle"],
    lookalikes: ["garden-gloves", "supply-line"],
  },
  {
    key: "hose-nozzle",
    name: { en: "Hose Nozzle", es: "boquilla para manguera", ja: "ホースノズル" },
    brands: ["Aqualine", "Greenreach", "Flowpro"],
    attributes: {
      material: [MATERIAL.metal, MATERIAL.plastic],
      color: [COLOR.black, COLOR.red, COLOR.green],
    },
    complements: ["garden-hose"],
    lookalikes: ["supply-line"],
  },
  {
    key: "faucet",
    name: { en: "Kitchen Faucet", es: "grifo de cocina", ja: "キッチン水栓" },
    brands: ["Aqualine", "Rivela", "Hartwell"],
    attributes: {
      color: [COLOR.chrome, COLOR.black, COLOR.nickel],
      material: [MATERIAL.brass, MATERIAL.stainless],
    },
    complements: ["supply-line"],
  },
  {
    key: "supply-line",
    name: { en: "Faucet Supply Line Hose", es: "manguera de alimentación para grifo", ja: "水栓用給水ホース" },
    brands: ["Aqualine", "Flowpro"],
    attributes: {
      size: [value("16in", "16 in.", "40 cm", "40cm"), value("20in", "20 in.", "50 cm", "50cm")],
      material: [MATERIAL.stainless, MATERIAL.vinyl],
    },
    complements: ["faucet"],
    lookalikes: ["garden-hose", "hose-nozzle"],
  },
  {
    key: "bulb-planter",
    name: { en: "Bulb Planter", es: "plantador de bulbos", ja: "球根植え器" },
    brands: ["Greenreach", "Rootwell"],
    attributes: {
      material: [MATERIAL.steel, MATERIAL.plastic],
      color: [COLOR.green, COLOR.red],
    },
    complements: ["garden-gloves"],
    lookalikes: ["light-bulb"],
  },
  {
    key: "power-strip",
    name: { en: "Power Strip", es: "regleta eléctrica", ja: "電源タップ" },
    brands: ["Voltra", "Brightway", "Northpeak"],
    attributes: {
      size: [value("6-outlet", "6-Outlet", "6 tomas", "6口"), value("8-outlet", "8-Outlet", "8 tomas", "8口")],
      color: [COLOR.white, COLOR.black],
    },
    complements: [],
    lookalikes: ["power-drill"],
  },
  {
    key: "garden-gloves",
    name: { en: "Garden Gloves", es: "guantes de jardín", ja: "ガーデン手袋" },
    brands: ["Greenreach", "Rootwell", "Northpeak"],
    attributes: {
      size: [value("small", "Small", "talla S", "Sサイズ"), value("medium", "Medium", "talla M", "Mサイズ"), value("large", "Large", "talla L", "Lサイズ")],
      material: [MATERIAL.cotton, MATERIAL.leather, MATERIAL.nylon],
      color: [COLOR.green, COLOR.gray],
    },
    complements: ["bulb-planter"],
    lookalikes: ["garden-hose"],
  },
];
