package io.customerhub.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Made-up organization customers, site by site, exported by three source systems, some sites by two or three, with a
 * truth column ({@code org}) saying which site a record is: a head office and each of its branches are different
 * sites ({@code C12} the head office of company 12, {@code C12.3} its third branch). For measuring the matching of
 * organizations, where a shared phone or e-mail is the rule rather than the exception. Of the sites, 55% appear
 * once, 30% twice, 15% three times, each time in a different file.
 *
 * <p>About half the companies are Chinese: a registered name of city prefix, trade name (two characters, drawn
 * Zipf-like, so that 华信 and 恒达 repeat), industry and legal form ({@code 深圳市腾达电子科技有限公司},
 * {@code 华信咨询（北京）股份有限公司}; 有限公司, 股份有限公司, 有限责任公司, 集团有限公司), in twelve cities, with an 18-character
 * unified social credit code (GB 32100-2015, with a valid check character; about 45% of them all digits, as
 * codes converted from an old organization code are) for every site, a branch its own. Branches are named after the
 * head office ({@code …有限公司上海分公司}); a chain's stores after their district or road ({@code …有限公司浦东分店});
 * a bank (a few, once each, 12 to 49 sites) has city branches and sub-branches ({@code 中国工商银行股份有限公司北京朝阳支行}).
 * Phones are landlines (area code and 8 digits), some mobiles, a chain's or bank's shared hotline ({@code 400…},
 * {@code 95588}). The other half are English-language (US) companies ({@code Acme Widgets Inc.},
 * {@code Blue River Consulting Co., Ltd.}, {@code Smith & Sons Ltd}), branches named {@code Acme Widgets - Chicago Branch}
 * or {@code Acme Widgets (Denver office)}, chain stores by number ({@code #12}) or neighbourhood, phones
 * {@code (312) 742-1234}. 3% of the companies are namesakes of an earlier one (the same trade name and industry in
 * another city): distinct companies whose names differ only by the city, or not at all once a source drops it.
 *
 * <p>The traps of real organization data: a head office and its branches share the head-office phone (in 60% of
 * the companies with branches, on 60% of a branch's records) and often the e-mail domain or a shared {@code info@}
 * address; several sites of one chain share the whole name but for the branch marker, which a source sometimes drops
 * (5% of a branch's records).
 *
 * <p>Each source writes names, phones and cities its own way: {@code crm} the registered name, phones with area code
 * ({@code 010-6552 9988}, {@code (312) 742-1234}), cities as {@code 北京市}; {@code erp} upper-case English without
 * punctuation ({@code ACME WIDGETS INC}), Chinese without the city prefix (40%) or with the legal form abbreviated
 * (50%, {@code 股份公司}), half-width parentheses, phones {@code +86 10 6552 9988} or {@code 312-742-1234}, cities as
 * {@code 北京}; {@code agency} (a public listing) the short name (Chinese without the legal form 70%, English 55%,
 * otherwise spelt out, {@code Smith and Sons Limited}, or without full stops, {@code Acme Widgets, Inc}; '&' and 'and'
 * swapped half the time), half its phones as local
 * numbers without the area code ({@code 6552 9988}, {@code 742-1234}), a Chinese city in pinyin a quarter of the time
 * ({@code Beijing}). On every record: the registry id on 60% (2% with one character wrong), the phone missing 12%,
 * the e-mail missing 25%, the postal code given on 55%, the city missing 4%; on a further record of a site: a typo
 * in the name (8%; a homophone in Chinese, 华 as 化), the house number moved behind the building or suite (10%), the
 * street missing (6%). Seeded: the same files for the same arguments.
 *
 * <p>Each record carries its country (CN or US), so that its phone is read as a number of that country; local
 * numbers without their area code and 5-digit hotlines are left out as unreadable.
 */
public final class SyntheticOrganizations {

    /** The columns of every file; {@code org} is the truth (one value per site), {@code id} the source key. */
    public static final List<String> COLUMNS = List.of("id", "org", "name", "registry_id", "phone", "email", "street",
            "city", "postal_code", "country");
    /** A field mapping for {@code evaluate} and for a file source reading these files. */
    public static final String MAPPING = """
            key: id
            type: organization
            fields:
              fullName: name
              nationalId: registry_id
              phone: phone
              email: email
              street: street
              city: city
              postalCode: postal_code
              country: country
            """;

    private static final String[] SOURCES = {"crm", "erp", "agency"};
    private static final int CRM = 0;
    private static final int ERP = 1;

    /** What was written: one file per source, the number of records and of sites (truth values), the true duplicate pairs. */
    public record Dataset(List<Path> files, int records, int organizations, long truePairs) {
    }

    // ---------------------------------------------------------------- Chinese companies

    private record CnCity(String name, String pinyin, String areaCode, String postal, String division, String[] districts,
                          String[] roads) {
    }

    /** Twelve cities, the largest first: name, pinyin, area code, postal code prefix, division code prefix, districts, roads. */
    private static final CnCity[] CN_CITIES = {
            new CnCity("北京", "Beijing", "010", "100", "1101", new String[]{"朝阳", "海淀", "东城", "西城", "丰台", "通州"},
                    new String[]{"建国路", "中关村大街", "长安街", "朝阳北路", "学院路", "东三环中路"}),
            new CnCity("上海", "Shanghai", "021", "200", "3101", new String[]{"浦东", "徐汇", "静安", "黄浦", "长宁", "闵行"},
                    new String[]{"南京西路", "淮海中路", "世纪大道", "漕溪北路", "延安西路", "张江路"}),
            new CnCity("广州", "Guangzhou", "020", "510", "4401", new String[]{"天河", "越秀", "海珠", "白云", "番禺"},
                    new String[]{"天河路", "环市东路", "中山五路", "珠江东路", "广州大道"}),
            new CnCity("深圳", "Shenzhen", "0755", "518", "4403", new String[]{"福田", "南山", "罗湖", "宝安", "龙岗"},
                    new String[]{"深南大道", "科技园路", "福华路", "滨海大道", "宝安大道"}),
            new CnCity("杭州", "Hangzhou", "0571", "310", "3301", new String[]{"西湖", "拱墅", "上城", "滨江", "萧山"},
                    new String[]{"文三路", "延安路", "江南大道", "体育场路", "莫干山路"}),
            new CnCity("成都", "Chengdu", "028", "610", "5101", new String[]{"锦江", "青羊", "武侯", "成华", "金牛"},
                    new String[]{"人民南路", "天府大道", "蜀都大道", "红星路", "一环路"}),
            new CnCity("南京", "Nanjing", "025", "210", "3201", new String[]{"鼓楼", "玄武", "秦淮", "建邺", "江宁"},
                    new String[]{"中山路", "汉中路", "江东中路", "北京西路", "龙蟠路"}),
            new CnCity("武汉", "Wuhan", "027", "430", "4201", new String[]{"江汉", "武昌", "洪山", "江岸", "汉阳"},
                    new String[]{"解放大道", "中南路", "珞喻路", "建设大道", "中北路"}),
            new CnCity("天津", "Tianjin", "022", "300", "1201", new String[]{"和平", "河西", "南开", "河东", "滨海"},
                    new String[]{"南京路", "友谊路", "卫津路", "解放北路", "黄河道"}),
            new CnCity("重庆", "Chongqing", "023", "400", "5001", new String[]{"渝中", "江北", "南岸", "渝北", "沙坪坝"},
                    new String[]{"民族路", "建新北路", "南坪西路", "金开大道", "小龙坎正街"}),
            new CnCity("西安", "Xi'an", "029", "710", "6101", new String[]{"雁塔", "碑林", "新城", "未央", "莲湖"},
                    new String[]{"高新路", "长安北路", "东大街", "科技路", "未央路"}),
            new CnCity("苏州", "Suzhou", "0512", "215", "3205", new String[]{"姑苏", "吴中", "相城", "虎丘", "吴江"},
                    new String[]{"干将路", "人民路", "苏州大道", "星湖街", "金鸡湖大道"})};
    private static final double[] CN_CITY_CDF = SparsePeople.zipf(CN_CITIES.length, 2, 1.0);

    /** Characters of trade names, commonest first, each with its pinyin (for domains) and a homophone (for typos). */
    private static final String TRADE_CHARS = "华信达恒瑞金宏鑫源博远天宇盛辉通丰创嘉凯明安泰和国银星航德润泽龙海智联易美佳百川万鼎伟业兴隆昌利腾新";
    private static final String[] TRADE_PINYIN = {"hua", "xin", "da", "heng", "rui", "jin", "hong", "xin", "yuan", "bo", "yuan",
            "tian", "yu", "sheng", "hui", "tong", "feng", "chuang", "jia", "kai", "ming", "an", "tai", "he", "guo", "yin", "xing",
            "hang", "de", "run", "ze", "long", "hai", "zhi", "lian", "yi", "mei", "jia", "bai", "chuan", "wan", "ding", "wei",
            "ye", "xing", "long", "chang", "li", "teng", "xin"};
    private static final String HOMOPHONES = "化新大衡锐今鸿新元搏园添雨胜晖同风闯佳恺名岸太合果音兴杭得闰则隆还志连亿每家柏传完顶维叶星龙长力藤心";
    private static final double[] TRADE_CDF = SparsePeople.zipf(TRADE_CHARS.length(), 4, 1.0);
    private static final String[] CN_INDUSTRIES = {"电子科技", "信息技术", "咨询", "贸易", "建筑工程", "物流", "医药", "文化传媒",
            "房地产开发", "机械设备", "食品", "环保科技", "教育科技", "网络科技", "实业", "投资管理", "广告", "装饰工程", "汽车服务", "生物科技"};
    private static final String[] CN_CHAIN_INDUSTRIES = {"餐饮管理", "医药连锁", "超市", "便利店", "眼镜", "口腔医疗"};
    private static final String[] CN_FORMS = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
    private static final int[] CN_FORM_WEIGHTS = {60, 15, 15, 10};
    /** How the ERP abbreviates each legal form (half the time). */
    private static final String[] CN_FORMS_SHORT = {"公司", "股份公司", "有限公司", "集团公司"};
    private static final String[] BUILDINGS = {"大厦", "中心", "广场", "科技园", "国际大厦"};
    /** Banks: full name, short name, nickname, domain, hotline. */
    private static final String[][] BANKS = {
            {"中国工商银行", "工商银行", "工行", "icbc.com.cn", "95588"}, {"中国建设银行", "建设银行", "建行", "ccb.com", "95533"},
            {"中国银行", "中国银行", "中行", "boc.cn", "95566"}, {"中国农业银行", "农业银行", "农行", "abchina.com", "95599"},
            {"交通银行", "交通银行", "交行", "bankcomm.com", "95559"}, {"招商银行", "招商银行", "招行", "cmbchina.com", "95555"},
            {"兴业银行", "兴业银行", "兴业", "cib.com.cn", "95561"}, {"上海浦东发展银行", "浦发银行", "浦发", "spdb.com.cn", "95528"},
            {"中信银行", "中信银行", "中信", "citicbank.com", "95558"}, {"中国民生银行", "民生银行", "民生", "cmbc.com.cn", "95568"},
            {"中国光大银行", "光大银行", "光大", "cebbank.com", "95595"}, {"平安银行", "平安银行", "平安", "pingan.com", "95511"},
            {"华夏银行", "华夏银行", "华夏", "hxb.com.cn", "95577"}, {"北京银行", "北京银行", "北银", "bankofbeijing.com.cn", "95526"},
            {"宁波银行", "宁波银行", "宁行", "nbcb.com.cn", "95574"}, {"中国邮政储蓄银行", "邮储银行", "邮储", "psbc.com", "95580"}};
    private static final String[] CN_MAILBOXES = {"info", "service", "contact", "office", "sales", "admin", "kefu", "hr"};
    private static final String[] CN_WEBMAIL = {"qq.com", "163.com", "126.com", "sina.com"};
    private static final String[] CN_MOBILE = {"138", "139", "136", "135", "150", "152", "158", "186", "188", "187", "137", "159"};

    /** The registry's charset (GB 32100-2015: no I, O, S, V, Z) and the weights of the first 17 characters. */
    private static final String USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] USCC_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    /** The weights of the 8 characters of an organization code (GB 11714-1997). */
    private static final int[] ORG_CODE_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    // ---------------------------------------------------------------- English-language companies

    private record UsCity(String name, String areaCode, String zip) {
    }

    private static final UsCity[] US_CITIES = {new UsCity("Chicago", "312", "606"), new UsCity("Houston", "713", "770"),
            new UsCity("Dallas", "214", "752"), new UsCity("Philadelphia", "215", "191"), new UsCity("Atlanta", "404", "303"),
            new UsCity("Boston", "617", "021"), new UsCity("Phoenix", "602", "850"), new UsCity("Seattle", "206", "981"),
            new UsCity("Denver", "303", "802"), new UsCity("Detroit", "313", "482"), new UsCity("Miami", "305", "331"),
            new UsCity("Minneapolis", "612", "554"), new UsCity("San Diego", "619", "921"), new UsCity("St. Louis", "314", "631"),
            new UsCity("Portland", "503", "972"), new UsCity("Austin", "512", "787")};
    private static final double[] US_CITY_CDF = SparsePeople.zipf(US_CITIES.length, 2, 1.0);
    private static final String[] BRANDS = {"Acme", "Globex", "Initech", "Northwind", "Contoso", "Fabrikam", "Vandelay",
            "Tailspin", "Wingtip", "Litware", "Proseware", "Lucerne", "Adatum", "Woodgrove", "Zenith", "Nimbus", "Vertex",
            "Quantum", "Horizon", "Paragon"};
    private static final String[] ADJECTIVES = {"Blue", "Silver", "Golden", "Green", "North", "Summit", "Pioneer", "Eagle",
            "Lake", "Oak", "Maple", "Cedar", "Harbor", "Bright", "Prime", "Apex", "Liberty", "Heritage", "Keystone",
            "Evergreen", "Granite", "Iron", "Crystal", "Sterling", "Atlas", "Red", "Stone", "Sun", "Pacific", "Great"};
    private static final String[] NOUNS = {"River", "Ridge", "Point", "Creek", "Valley", "Peak", "Bridge", "Field", "Wood",
            "Gate", "Star", "Line", "Rock", "Bay", "Hill", "Mountain", "Shore", "Crest", "Path", "Forge"};
    private static final double[] ADJECTIVE_CDF = SparsePeople.zipf(ADJECTIVES.length, 3, 1.0);
    private static final double[] NOUN_CDF = SparsePeople.zipf(NOUNS.length, 3, 1.0);
    private static final String[] FAMILIES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker",
            "Young", "Hall", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter"};
    private static final double[] FAMILY_CDF = SparsePeople.zipf(FAMILIES.length, 5, 1.0);
    /** What follows a family name: {@code &} is written {@code and} by some companies and some sources. */
    private static final String[] FAMILY_FIRMS = {"& Sons", "& Associates", "Brothers", "& Partners", "& Daughters"};
    private static final String[] US_INDUSTRIES = {"Widgets", "Consulting", "Logistics", "Dental", "Software", "Construction",
            "Realty", "Plumbing", "Auto Repair", "Insurance", "Marketing", "Landscaping", "Printing", "Foods", "Electric",
            "Engineering", "Accounting", "Staffing", "Fitness", "Veterinary Clinic"};
    private static final String[] US_CHAIN_INDUSTRIES = {"Dental", "Fitness", "Auto Repair", "Bakery", "Pharmacy", "Cleaners",
            "Pizza", "Coffee"};
    /** Legal forms: as registered (crm), as the ERP writes it, as a listing spells it out. */
    private static final String[][] US_FORMS = {{"Inc.", "INC", "Incorporated"}, {"LLC", "LLC", "L.L.C."},
            {"Ltd", "LTD", "Limited"}, {"Co., Ltd.", "CO LTD", "Company Limited"}, {"Corporation", "CORP", "Corp."},
            {"Limited", "LTD", "Ltd."}};
    private static final int[] US_FORM_WEIGHTS = {40, 25, 10, 8, 10, 7};
    private static final String[] US_STREETS = {"Main St", "Oak Ave", "Maple Ave", "Washington Blvd", "Lake St", "State St",
            "Market St", "Elm St", "2nd Ave", "Park Ave", "Broadway", "Michigan Ave", "Pine St", "Cedar Rd", "Industrial Pkwy",
            "Commerce Dr", "Madison Ave", "Jefferson St", "Lincoln Way", "Grand Ave"};
    private static final String[] NEIGHBOURHOODS = {"Downtown", "Midtown", "Uptown", "Northside", "Southside", "Eastgate",
            "Westfield", "Riverside", "Lakeview", "Hillcrest", "Oak Park", "Park Ridge", "Fairview", "Brookside", "Greenwood",
            "Maple Grove", "Cedar Hills", "Pine Valley"};
    private static final String[] US_MAILBOXES = {"info", "contact", "office", "sales", "hello", "admin"};

    // ---------------------------------------------------------------- the model

    private enum Kind { COMPANY, CHAIN, BANK }

    /**
     * A company's name as registered, in parts: Chinese {@code prefix + trade + industry + form} (or the city in
     * parentheses before the form, {@code style} 1, or no city, 2); English {@code trade + industry + form}.
     */
    private record Company(int id, boolean chinese, Kind kind, int city, String trade, String tradePinyin, String industry,
                           int form, int style, boolean comma, int markerStyle, String domain, String sharedPhone,
                           boolean sharesPhone, String sharedEmail, int bank) {
    }

    /** One site of a company: the head office ({@code branch} null) or a branch, store, or bank branch. */
    private record Site(Company company, String org, String branch, int storeNumber, int city, String registry, String phone,
                        String email, String street, String streetMoved, String postal) {
    }

    /** One record of a site, before its source writes it: what the record holds. */
    private record Copy(Site site, boolean typo, boolean noMarker, String registry, String phone, String email, String street,
                        boolean postal, boolean city) {
    }

    /** All that must stay unique across the data set, and the companies so far. */
    private static final class World {
        final Random random;
        final Set<String> taken = new HashSet<>();
        final List<Company> companies = new ArrayList<>();
        final Set<Integer> banksUsed = new HashSet<>();

        World(Random random) {
            this.random = random;
        }

        boolean claim(String value) {
            return taken.add(value);
        }
    }

    private SyntheticOrganizations() {
    }

    /** Writes {@code records} records (CSV, UTF-8) as {@code crm.csv}, {@code erp.csv}, {@code agency.csv} in {@code dir}. */
    public static Dataset write(Path dir, int records, long seed) throws IOException {
        Random random = new Random(seed);
        World world = new World(random);
        List<List<List<String>>> rows = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int written = 0;
        int sites = 0;
        long truePairs = 0;
        while (written < records) {
            Company company = company(world);
            for (Site site : sites(world, company)) {
                if (written >= records) {
                    break;
                }
                sites++;
                int roll = random.nextInt(100);
                int copies = Math.min(roll < 55 ? 1 : roll < 85 ? 2 : 3, records - written);
                truePairs += (long) copies * (copies - 1) / 2;
                List<Integer> sources = new ArrayList<>(List.of(0, 1, 2));
                Collections.shuffle(sources, random);
                for (int copy = 0; copy < copies; copy++) {
                    int source = sources.get(copy);
                    rows.get(source).add(row(copy(site, copy > 0, random), source, written, random));
                    written++;
                }
            }
        }
        List<Path> files = SyntheticPeople.writeSources(dir, SOURCES, COLUMNS, rows, random);
        return new Dataset(files, written, sites, truePairs);
    }

    // ---------------------------------------------------------------- companies and their sites

    private static Company company(World world) {
        Random random = world.random;
        int id = world.companies.size();
        boolean chinese = random.nextBoolean();
        Kind kind = Kind.COMPANY;
        int roll = random.nextInt(1000);
        if (chinese && roll < 5 && world.banksUsed.size() < BANKS.length) {
            kind = Kind.BANK;
        } else if (roll >= 5 && roll < 30) {
            kind = Kind.CHAIN;
        }
        Company company;
        if (kind == Kind.BANK) {
            int bank = random.nextInt(BANKS.length);
            while (!world.banksUsed.add(bank)) {
                bank = random.nextInt(BANKS.length);
            }
            company = new Company(id, true, kind, random.nextInt(3), BANKS[bank][0], null, null, 1, 2, false, 0,
                    BANKS[bank][3], BANKS[bank][4], true, null, bank);
        } else {
            company = chinese ? chineseCompany(world, id, kind) : englishCompany(world, id, kind);
        }
        world.companies.add(company);
        return company;
    }

    /** A trade name and industry not yet registered in the city, or (3%) those of an earlier company in another city. */
    private static Company chineseCompany(World world, int id, Kind kind) {
        Random random = world.random;
        int city = SparsePeople.index(CN_CITY_CDF, random);
        String trade;
        String industry;
        Company namesake = namesake(world, true, kind);
        if (namesake != null) {
            trade = namesake.trade();
            industry = namesake.industry();
            while (city == namesake.city() || !world.claim("cn|" + city + "|" + trade + "|" + industry)) {
                city = SparsePeople.index(CN_CITY_CDF, random);
            }
        } else {
            do {
                trade = tradeName(random);
                industry = kind == Kind.CHAIN ? pick(CN_CHAIN_INDUSTRIES, random) : pick(CN_INDUSTRIES, random);
            } while (!world.claim("cn|" + city + "|" + trade + "|" + industry));
        }
        String pinyin = pinyin(trade);
        int form = pick(CN_FORM_WEIGHTS, random);
        int styleRoll = random.nextInt(100);
        int style = styleRoll < 70 ? 0 : styleRoll < 85 ? 1 : 2;
        boolean small = kind == Kind.COMPANY && chance(random, 40);
        String domain = small ? null : unique(world, pinyin + (random.nextBoolean() ? "" : industryDomainWord(industry))
                + (chance(random, 60) ? ".com.cn" : chance(random, 50) ? ".com" : ".cn"));
        String sharedPhone = kind == Kind.CHAIN && chance(random, 70) ? hotline(world)
                : small && chance(random, 40) ? mobile(world) : landline(world, city);
        String email = domain == null
                ? unique(world, random.nextBoolean() ? (10_000 + random.nextInt(2_000_000_000)) + "@qq.com"
                : pinyin + (10 + random.nextInt(990)) + "@" + pick(CN_WEBMAIL, random))
                : pick(CN_MAILBOXES, random) + "@" + domain;
        world.claim(email);
        return new Company(id, true, kind, city, trade, pinyin, industry, form, style, false, 0, domain, sharedPhone,
                chance(random, 60), email, -1);
    }

    private static Company englishCompany(World world, int id, Kind kind) {
        Random random = world.random;
        int city = SparsePeople.index(US_CITY_CDF, random);
        String trade;
        String industry;
        Company namesake = namesake(world, false, kind);
        if (namesake != null) {
            trade = namesake.trade();
            industry = namesake.industry();
            while (city == namesake.city() || !world.claim("us|" + city + "|" + trade + "|" + industry)) {
                city = SparsePeople.index(US_CITY_CDF, random);
            }
        } else {
            do {
                int roll = random.nextInt(100);
                if (kind == Kind.COMPANY && roll < 20) {
                    trade = SparsePeople.pick(FAMILIES, FAMILY_CDF, random) + " " + pick(FAMILY_FIRMS, random);
                    industry = random.nextBoolean() ? null : pick(US_INDUSTRIES, random);
                } else {
                    trade = roll < 55 ? pick(BRANDS, random)
                            : SparsePeople.pick(ADJECTIVES, ADJECTIVE_CDF, random) + " " + SparsePeople.pick(NOUNS, NOUN_CDF, random);
                    industry = kind == Kind.CHAIN ? pick(US_CHAIN_INDUSTRIES, random) : pick(US_INDUSTRIES, random);
                }
            } while (!world.claim("us|" + city + "|" + trade + "|" + industry));
        }
        if (chance(random, 30)) {
            trade = trade.replace("&", "and");
        }
        String letters = (trade + (industry == null ? "" : industry)).toLowerCase(Locale.ROOT).replace("&", "and")
                .replaceAll("[^a-z]", "");
        boolean small = kind == Kind.COMPANY && chance(random, 25);
        String domain = small ? null : unique(world, letters + (chance(random, 80) ? ".com" : ".net"));
        String email = domain == null ? unique(world, letters + "@" + (random.nextBoolean() ? "gmail.com" : "yahoo.com"))
                : pick(US_MAILBOXES, random) + "@" + domain;
        world.claim(email);
        String sharedPhone = kind == Kind.CHAIN && chance(random, 50) ? tollFree(world) : usPhone(world, city);
        int form = pick(US_FORM_WEIGHTS, random);
        // Acme Widgets, Inc. and Acme Widgets, LLC: a comma before the short forms only
        return new Company(id, false, kind, city, trade, null, industry, form, 0, form <= 1 && chance(random, 40),
                random.nextInt(3), domain, sharedPhone, chance(random, 60), email, -1);
    }

    /** 3% of the companies take the trade name and industry of an earlier one of the same language and kind. */
    private static Company namesake(World world, boolean chinese, Kind kind) {
        if (!chance(world.random, 3) || world.companies.isEmpty()) {
            return null;
        }
        for (int tries = 0; tries < 20; tries++) {
            Company other = world.companies.get(world.random.nextInt(world.companies.size()));
            if (other.chinese() == chinese && other.kind() == kind && other.industry() != null) {
                return other;
            }
        }
        return null;
    }

    /** The head office and the branches: most companies have none, a chain 3 to 12 stores, a bank 12 to 49 sites. */
    private static List<Site> sites(World world, Company company) {
        Random random = world.random;
        int branches;
        if (company.kind() == Kind.BANK) {
            branches = 11 + random.nextInt(38);
        } else if (company.kind() == Kind.CHAIN) {
            branches = 3 + random.nextInt(10);
        } else {
            int roll = random.nextInt(100);
            branches = roll < 75 ? 0 : roll < 87 ? 1 : roll < 96 ? 2 + random.nextInt(2) : 4 + random.nextInt(5);
        }
        List<Site> sites = new ArrayList<>();
        sites.add(site(world, company, null, 0, company.city(), "C" + company.id()));
        Set<String> places = new HashSet<>();
        Set<Integer> storeNumbers = new HashSet<>();
        List<Integer> bankCities = new ArrayList<>();
        for (int b = 1; b <= branches; b++) {
            String org = "C" + company.id() + "." + b;
            int city = company.city();
            String place;
            if (company.kind() == Kind.BANK) {
                // the first few are city branches (分行), the rest sub-branches (支行) in those cities
                if (bankCities.size() < 2 + branches / 8) {
                    do {
                        city = SparsePeople.index(CN_CITY_CDF, random);
                    } while (bankCities.contains(city));
                    bankCities.add(city);
                    place = CN_CITIES[city].name() + "分行";
                } else {
                    do {
                        city = bankCities.get(random.nextInt(bankCities.size()));
                        CnCity c = CN_CITIES[city];
                        place = c.name() + (random.nextInt(3) > 0 ? pick(c.districts(), random) : pick(c.roads(), random)) + "支行";
                    } while (!places.add(place));
                }
                places.add(place);
            } else if (company.kind() == Kind.CHAIN) {
                do {
                    if (company.chinese()) {
                        CnCity c = CN_CITIES[city];
                        int roll = random.nextInt(3);
                        place = roll == 0 ? pick(c.districts(), random) : roll == 1 ? pick(c.roads(), random)
                                : pick(c.districts(), random) + "二";
                    } else {
                        place = pick(NEIGHBOURHOODS, random);
                    }
                } while (!places.add(place));
            } else {
                // a branch office in another city, or (Chinese, a third of them) in a district of the same city
                do {
                    if (company.chinese() && random.nextInt(3) == 0) {
                        city = company.city();
                        place = pick(CN_CITIES[city].districts(), random);
                    } else {
                        do {
                            city = company.chinese() ? SparsePeople.index(CN_CITY_CDF, random) : SparsePeople.index(US_CITY_CDF, random);
                        } while (city == company.city());
                        place = company.chinese() ? CN_CITIES[city].name() : US_CITIES[city].name();
                    }
                } while (!places.add(place));
            }
            int storeNumber = 0;
            if (company.kind() == Kind.CHAIN) {
                do {
                    storeNumber = 10 + random.nextInt(990);
                } while (!storeNumbers.add(storeNumber));
            }
            sites.add(site(world, company, place, storeNumber, city, org));
        }
        return sites;
    }

    private static Site site(World world, Company company, String branch, int storeNumber, int city, String org) {
        Random random = world.random;
        String registry = company.chinese() ? uscc(world, city) : null;
        String phone;
        String email;
        String street;
        String moved;
        String postal;
        if (company.chinese()) {
            CnCity c = CN_CITIES[city];
            phone = branch == null && company.kind() != Kind.BANK ? company.sharedPhone()
                    : company.kind() == Kind.COMPANY && company.domain() == null && chance(random, 50) ? mobile(world)
                    : landline(world, city);
            // a bank's sites list no e-mail; a company's branch a mailbox of its own on the company's domain
            email = company.kind() == Kind.BANK ? null : branch == null ? company.sharedEmail()
                    : company.domain() == null ? null
                    : unique(world, TRADE_PINYIN[random.nextInt(TRADE_PINYIN.length)] + (random.nextInt(90) + 10) + "@" + company.domain());
            String road = pick(c.roads(), random);
            for (String named : c.roads()) {
                // a branch or store named after its road is on it
                road = branch != null && branch.contains(named) ? named : road;
            }
            int number = 1 + random.nextInt(random.nextBoolean() ? 300 : 9000);
            String building = chance(random, 55) ? (company.kind() == Kind.BANK ? tradeName(random) : company.trade())
                    + pick(BUILDINGS, random) + (2 + random.nextInt(30)) + "层" : null;
            street = road + number + "号" + (building == null ? "" : building);
            moved = building == null ? road + " " + number + " 号" : building + "，" + road + number + "号";
            postal = c.postal() + random.nextInt(10) + String.format(Locale.ROOT, "%02d", random.nextInt(100));
        } else {
            UsCity c = US_CITIES[city];
            phone = branch == null ? company.sharedPhone() : usPhone(world, city);
            email = branch == null ? company.sharedEmail()
                    : company.domain() == null ? null
                    : unique(world, branch.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "")
                    + (company.kind() == Kind.CHAIN ? storeNumber : "") + "@" + company.domain());
            String road = pick(US_STREETS, random);
            int number = 10 + random.nextInt(random.nextBoolean() ? 990 : 9990);
            String suite = chance(random, 45) ? (chance(random, 70) ? "Suite " : "#") + (100 + random.nextInt(900)) : null;
            street = number + " " + road + (suite == null ? "" : " " + suite);
            moved = suite == null ? number + " " + road.replace(" St", " Street").replace(" Ave", " Avenue")
                    : suite + ", " + number + " " + road;
            postal = c.zip() + String.format(Locale.ROOT, "%02d", random.nextInt(100));
        }
        return new Site(company, org, branch, storeNumber, city, registry, phone, email, street, moved, postal);
    }

    /** A record of a site as one system holds it: the first as the site is, a further one with the slips of data entry. */
    private static Copy copy(Site site, boolean further, Random random) {
        Company company = site.company();
        boolean branch = site.branch() != null;
        String registry = site.registry() != null && chance(random, 60) ? site.registry() : null;
        if (registry != null && chance(random, 2)) {
            registry = registryTypo(registry, random);
        }
        String phone = site.phone();
        if (branch && company.sharesPhone() && chance(random, 60)) {
            phone = company.sharedPhone();
        }
        if (chance(random, 12)) {
            phone = null;
        }
        String email = site.email();
        if (branch && company.sharedEmail() != null && (email == null || chance(random, 40))) {
            email = company.sharedEmail();
        }
        if (chance(random, 25)) {
            email = null;
        }
        String street = site.street();
        if (further && chance(random, 10)) {
            street = site.streetMoved();
        } else if (further && chance(random, 6)) {
            street = null;
        }
        return new Copy(site, further && chance(random, 8), branch && further && chance(random, 5), registry, phone, email,
                street, chance(random, 55), !chance(random, 4));
    }

    // ---------------------------------------------------------------- as each source writes it

    private static List<String> row(Copy copy, int source, int index, Random random) {
        Site site = copy.site();
        Company company = site.company();
        String name = company.chinese() ? chineseName(copy, source, random) : englishName(copy, source, random);
        String city = "";
        if (copy.city()) {
            if (company.chinese()) {
                CnCity c = CN_CITIES[site.city()];
                city = source == CRM ? c.name() + "市" : source == ERP ? c.name() : chance(random, 25) ? c.pinyin() : c.name() + "市";
            } else {
                city = source == ERP ? US_CITIES[site.city()].name().toUpperCase(Locale.ROOT) : US_CITIES[site.city()].name();
            }
        }
        String street = copy.street() == null ? "" : source == ERP && !company.chinese() ? copy.street().toUpperCase(Locale.ROOT)
                .replace("SUITE", "STE") : copy.street();
        return Arrays.asList(SOURCES[source].substring(0, 1).toUpperCase(Locale.ROOT) + index, site.org(), name,
                copy.registry() == null ? "" : copy.registry(), phone(copy.phone(), company.chinese(), site.city(), source, random),
                copy.email() == null ? "" : source == CRM && chance(random, 20) ? capitalized(copy.email()) : copy.email(), street,
                city, copy.postal() ? site.postal() : "", company.chinese() ? "CN" : "US");
    }

    private static String chineseName(Copy copy, int source, Random random) {
        Site site = copy.site();
        Company company = site.company();
        String marker = site.branch() == null || copy.noMarker() ? "" : chineseMarker(site, source, random);
        if (company.kind() == Kind.BANK) {
            String[] bank = BANKS[company.bank()];
            String name = switch (source) {
                case CRM -> bank[0] + "股份有限公司";
                case ERP -> random.nextBoolean() ? bank[0] + "股份有限公司" : bank[0];
                default -> site.branch() == null ? bank[1] + "总行" : random.nextInt(3) == 0 ? bank[2] : bank[1];
            };
            return name + marker;
        }
        CnCity city = CN_CITIES[company.city()];
        String trade = copy.typo() ? chineseTypo(company.trade(), random) : company.trade();
        String industry = company.industry();
        if (copy.typo() && random.nextInt(3) == 0 && industry.length() > 2) {
            industry = industry.substring(0, industry.length() - 1);
        }
        String form = CN_FORMS[company.form()];
        if (company.form() == 3 && company.id() % 2 == 0) {
            // a group is often named without its industry
            industry = "";
        }
        String name;
        switch (source) {
            case CRM -> name = registered(company, city, trade, industry, form, "（", "）");
            case ERP -> {
                String shortForm = random.nextBoolean() ? CN_FORMS_SHORT[company.form()] : form;
                name = company.style() == 0 && chance(random, 40) ? trade + industry + shortForm
                        : registered(company, city, trade, industry, shortForm, "(", ")");
            }
            default -> {
                String prefix = company.style() != 2 && chance(random, 40) ? city.name() : "";
                name = prefix + trade + industry + (chance(random, 30) ? form : "");
            }
        }
        return name + marker;
    }

    private static String registered(Company company, CnCity city, String trade, String industry, String form, String open,
                                     String close) {
        return switch (company.style()) {
            case 0 -> city.name() + (company.id() % 3 > 0 ? "市" : "") + trade + industry + form;
            case 1 -> trade + industry + open + city.name() + close + form;
            default -> trade + industry + form;
        };
    }

    private static String chineseMarker(Site site, int source, Random random) {
        Company company = site.company();
        String place = site.branch();
        return switch (company.kind()) {
            case BANK -> source == 2 && place.endsWith("支行") && place.length() > 4 && random.nextBoolean()
                    ? place.substring(2) : place;
            case CHAIN -> source == 2 ? (random.nextBoolean() ? place + "店" : "（" + place + "店）") : place + "分店";
            default -> source == 2 && random.nextInt(4) == 0 ? place + "分部" : place + "分公司";
        };
    }

    private static String englishName(Copy copy, int source, Random random) {
        Site site = copy.site();
        Company company = site.company();
        String trade = company.trade();
        String base = trade + (company.industry() == null ? "" : " " + company.industry());
        if (copy.typo()) {
            base = SyntheticPeople.typo(base, random);
        }
        String[] forms = US_FORMS[company.form()];
        String name = switch (source) {
            case CRM -> base + (company.comma() ? ", " : " ") + forms[0];
            case ERP -> (base + " " + forms[1]).toUpperCase(Locale.ROOT).replace(".", "").replace(",", "");
            default -> {
                String swapped = random.nextBoolean() ? base
                        : base.contains("&") ? base.replace("&", "and") : base.replace(" and ", " & ");
                int roll = random.nextInt(100);
                // the legal form missing, spelt out, or as registered without its full stops (Acme Widgets, Inc)
                yield swapped + (roll < 55 ? "" : roll < 80 ? " " + forms[2] : (company.comma() ? ", " : " ") + forms[0].replace(".", ""));
            }
        };
        if (site.branch() == null || copy.noMarker()) {
            return name;
        }
        String place = site.branch();
        if (company.kind() == Kind.CHAIN) {
            return name + switch (source) {
                case CRM -> " #" + site.storeNumber();
                case ERP -> " STORE " + String.format(Locale.ROOT, "%04d", site.storeNumber());
                default -> random.nextBoolean() ? " - " + place : " #" + site.storeNumber();
            };
        }
        return name + switch (source) {
            case CRM -> switch (company.markerStyle()) {
                case 0 -> " - " + place + " Branch";
                case 1 -> " (" + place + " office)";
                default -> ", " + place + " Office";
            };
            case ERP -> " " + place.toUpperCase(Locale.ROOT).replace(".", "") + (random.nextBoolean() ? " BRANCH" : "");
            default -> " (" + place + ")";
        };
    }

    /** A phone as the source writes it; the agency gives half its landlines as local numbers, without the area code. */
    private static String phone(String phone, boolean chinese, int city, int source, Random random) {
        if (phone == null) {
            return "";
        }
        if (phone.length() == 5 || phone.startsWith("400") || phone.startsWith("800-") || phone.startsWith("888-")) {
            // a hotline: 95588, 400-810-8888, 800-555-0100
            return source == ERP ? phone.replace("-", "") : phone;
        }
        if (chinese && phone.startsWith("1")) {
            String a = phone.substring(0, 3);
            String b = phone.substring(3, 7);
            String c = phone.substring(7);
            return switch (source) {
                case CRM -> a + " " + b + " " + c;
                case ERP -> "+86 " + a + "-" + b + "-" + c;
                default -> phone;
            };
        }
        if (chinese) {
            // 0 + area code digits + 8 local digits
            String area = phone.substring(0, phone.length() - 8);
            String local = phone.substring(phone.length() - 8);
            String spaced = local.substring(0, 4) + " " + local.substring(4);
            return switch (source) {
                case CRM -> area + "-" + spaced;
                case ERP -> random.nextBoolean() ? "+86 " + area.substring(1) + " " + spaced : phone;
                default -> random.nextBoolean() ? spaced : "(" + area + ") " + local;
            };
        }
        String area = phone.substring(0, 3);
        String local = phone.substring(3, 6) + "-" + phone.substring(6);
        return switch (source) {
            case CRM -> "(" + area + ") " + local;
            case ERP -> area + "-" + local;
            default -> random.nextBoolean() ? local : area + "." + local.replace("-", ".");
        };
    }

    // ---------------------------------------------------------------- values

    /** A unified social credit code: 9 (industry and commerce), 1 (enterprise), division, organization code, check. */
    private static String uscc(World world, int city) {
        Random random = world.random;
        String code;
        do {
            String division = CN_CITIES[city].division() + String.format(Locale.ROOT, "%02d", 1 + random.nextInt(12));
            StringBuilder organization = new StringBuilder(9);
            if (chance(random, 55)) {
                // issued since 2015: MA and random characters of the registry's charset
                organization.append("MA");
                while (organization.length() < 8) {
                    organization.append(USCC_CHARSET.charAt(random.nextInt(USCC_CHARSET.length())));
                }
            } else {
                // converted from an old organization code: digits
                while (organization.length() < 8) {
                    organization.append((char) ('0' + random.nextInt(10)));
                }
            }
            organization.append(organizationCodeCheck(organization));
            String first17 = "91" + division + organization;
            code = first17 + usccCheck(first17);
        } while (!world.claim(code));
        return code;
    }

    /** The check character of a unified social credit code's first 17 characters (GB 32100-2015). */
    static char usccCheck(CharSequence first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += USCC_CHARSET.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i];
        }
        return USCC_CHARSET.charAt((31 - sum % 31) % 31);
    }

    /** The check character of an organization code's 8 characters (GB 11714-1997): digits, letters as 10 to 35. */
    private static char organizationCodeCheck(CharSequence code) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            char c = code.charAt(i);
            sum += (Character.isDigit(c) ? c - '0' : c - 'A' + 10) * ORG_CODE_WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
    }

    /** One character of the code mistyped: another of the charset, or two neighbours swapped. */
    private static String registryTypo(String code, Random random) {
        StringBuilder text = new StringBuilder(code);
        int at = 2 + random.nextInt(14);
        if (random.nextBoolean() && text.charAt(at) != text.charAt(at + 1)) {
            char c = text.charAt(at);
            text.setCharAt(at, text.charAt(at + 1));
            text.setCharAt(at + 1, c);
        } else {
            char c;
            do {
                c = Character.isDigit(text.charAt(at)) ? (char) ('0' + random.nextInt(10))
                        : USCC_CHARSET.charAt(random.nextInt(USCC_CHARSET.length()));
            } while (c == text.charAt(at));
            text.setCharAt(at, c);
        }
        return text.toString();
    }

    private static String tradeName(Random random) {
        char first = TRADE_CHARS.charAt(SparsePeople.index(TRADE_CDF, random));
        char second;
        do {
            second = TRADE_CHARS.charAt(SparsePeople.index(TRADE_CDF, random));
        } while (second == first);
        return "" + first + second;
    }

    private static String pinyin(String trade) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < trade.length(); i++) {
            text.append(TRADE_PINYIN[TRADE_CHARS.indexOf(trade.charAt(i))]);
        }
        return text.toString();
    }

    /** A homophone for one character of the trade name, as a pinyin input method offers it. */
    private static String chineseTypo(String trade, Random random) {
        int at = random.nextInt(trade.length());
        int i = TRADE_CHARS.indexOf(trade.charAt(at));
        StringBuilder text = new StringBuilder(trade);
        text.setCharAt(at, HOMOPHONES.charAt(i));
        return text.toString();
    }

    private static String industryDomainWord(String industry) {
        return industry.contains("科技") || industry.contains("技术") ? "tech" : industry.contains("贸易") ? "trade"
                : industry.contains("物流") ? "logistics" : industry.contains("医") ? "med" : "group";
    }

    private static String landline(World world, int city) {
        Random random = world.random;
        String phone;
        do {
            phone = CN_CITIES[city].areaCode() + (5 + random.nextInt(4)) + String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000));
        } while (!world.claim(phone));
        return phone;
    }

    private static String mobile(World world) {
        Random random = world.random;
        String phone;
        do {
            phone = pick(CN_MOBILE, random) + String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
        } while (!world.claim(phone));
        return phone;
    }

    private static String hotline(World world) {
        Random random = world.random;
        String phone;
        do {
            phone = "400-" + (100 + random.nextInt(900)) + "-" + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
        } while (!world.claim(phone));
        return phone;
    }

    private static String tollFree(World world) {
        Random random = world.random;
        String phone;
        do {
            phone = (world.random.nextBoolean() ? "800-" : "888-") + (200 + random.nextInt(800)) + "-"
                    + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
        } while (!world.claim(phone));
        return phone;
    }

    /** Ten digits: area code, exchange (not starting 0 or 1) and line. */
    private static String usPhone(World world, int city) {
        Random random = world.random;
        String phone;
        do {
            phone = US_CITIES[city].areaCode() + (200 + random.nextInt(800)) + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
        } while (!world.claim(phone));
        return phone;
    }

    /** {@code value}, or with a number in front of its first dot or at-sign when taken. */
    private static String unique(World world, String value) {
        if (world.claim(value)) {
            return value;
        }
        int cut = value.indexOf('@') > 0 ? value.indexOf('@') : value.indexOf('.');
        for (int n = 2; ; n++) {
            String numbered = value.substring(0, cut) + n + value.substring(cut);
            if (world.claim(numbered)) {
                return numbered;
            }
        }
    }

    private static String capitalized(String email) {
        return Character.toUpperCase(email.charAt(0)) + email.substring(1);
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    private static int pick(int[] weights, Random random) {
        int pick = random.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        return 0;
    }

    private static boolean chance(Random random, int percent) {
        return random.nextInt(100) < percent;
    }
}
