package io.customerhub.testing;


import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Made-up people known only by name, birth date, city and e-mail, exported by three source systems,
 * some of them by two or three, with a truth column ({@code person}) saying who is who, for measuring
 * matching where no phone, address or id helps. English-language names (US) with the skew of real
 * ones: about 200 given and 300 family names, each drawn Zipf-like, so that James, Mary and Smith
 * repeat; about 120 cities in 47 metropolitan areas, also skewed; e-mail addresses made from the name in
 * the ways people make them ({@code john.smith@}, {@code jsmith@}, {@code smith.john82@}) over webmail
 * and company domains, unique per person. Of the people, 60% appear once, 28% twice, 12% three times,
 * each time in a different file.
 *
 * <p>Each source writes the name and the birth date its own way: {@code crm} a {@code full_name}
 * "Given Family" and ISO dates, {@code shop} {@code given_name} and {@code family_name} and
 * {@code dd/MM/yyyy}, {@code billing} a {@code full_name} "FAMILY, Given" and {@code yyyyMMdd}. The
 * first record of a person is as the person is; each further one carries, independently, realistic
 * noise: a birth date missing (9%), a few days off (8%), day and month swapped (4%, when that is a
 * date) or a year off (4%); a nickname (12%, Robert as Bob, where the name has one); a typo in the
 * given (7%) or the family name (7%); a one-word name, the family name only (5%) or the given name
 * only (3%) written where the family or full name goes; given and family swapped (5%); the e-mail
 * missing (12%), another address of the person's (8%), a slip in its local part (4%) or a mistyped
 * domain (2%, {@code gmial.com}); the city missing (7%), a neighbouring one (6%) or another (2%).
 *
 * <p>People alike but different, so that precision is tested: 3% of the people are namesakes of an
 * earlier person (same given and family name and city, another birth date and e-mail), 1.5% the twin
 * of the person before (same family name, birth date and city, another given name). Seeded: the same
 * files for the same arguments.
 */
public final class SparsePeople {

    /** The columns of every file; {@code person} is the truth, {@code id} the source key. A source leaves blank what it does not write. */
    public static final List<String> COLUMNS = List.of("id", "person", "full_name", "given_name", "family_name",
            "birth_date", "city", "email");
    /** A field mapping for {@code evaluate} and for a file source reading these files. */
    public static final String MAPPING = """
            key: id
            fields:
              fullName: full_name
              givenName: given_name
              familyName: family_name
              birthDate: birth_date
              city: city
              email: email
            """;

    private static final String[] SOURCES = {"crm", "shop", "billing"};
    private static final DateTimeFormatter DAY_FIRST = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** Given names, commonest first (US births 1940-2005). */
    private static final String[] MALE = {"James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph",
            "Thomas", "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul",
            "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey",
            "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon",
            "Benjamin", "Samuel", "Gregory", "Alexander", "Frank", "Patrick", "Raymond", "Jack", "Dennis", "Jerry",
            "Tyler", "Aaron", "Jose", "Adam", "Nathan", "Henry", "Douglas", "Zachary", "Peter", "Kyle", "Ethan",
            "Walter", "Noah", "Jeremy", "Christian", "Keith", "Roger", "Terry", "Gerald", "Harold", "Sean", "Austin",
            "Carl", "Arthur", "Lawrence", "Dylan", "Jesse", "Jordan", "Bryan", "Billy", "Joe", "Bruce", "Gabriel",
            "Logan", "Albert", "Willie", "Alan", "Juan", "Wayne", "Elijah", "Randy", "Roy", "Vincent", "Ralph",
            "Eugene", "Russell", "Bobby", "Mason", "Philip", "Louis"};
    private static final String[] FEMALE = {"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
            "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily",
            "Donna", "Michelle", "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon",
            "Laura", "Cynthia", "Kathleen", "Amy", "Angela", "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole",
            "Helen", "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Catherine", "Maria",
            "Heather", "Diane", "Ruth", "Julie", "Olivia", "Joyce", "Virginia", "Victoria", "Kelly", "Lauren",
            "Christina", "Joan", "Evelyn", "Judith", "Megan", "Andrea", "Cheryl", "Hannah", "Jacqueline", "Martha",
            "Gloria", "Teresa", "Ann", "Sara", "Madison", "Frances", "Kathryn", "Janice", "Jean", "Abigail", "Alice",
            "Judy", "Sophia", "Grace", "Denise", "Amber", "Doris", "Marilyn", "Danielle", "Beverly", "Isabella",
            "Theresa", "Diana", "Natalie", "Brittany", "Charlotte", "Marie", "Kayla", "Alexis", "Lori", "Rose"};
    /** Family names, commonest first (US census, East and South Asian names left out). */
    private static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
            "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
            "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
            "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
            "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
            "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
            "Reed", "Kelly", "Howard", "Ramos", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
            "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Myers",
            "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman",
            "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan",
            "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole",
            "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro",
            "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells",
            "Vargas", "Henry", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter",
            "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
            "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren",
            "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto",
            "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce",
            "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham", "Duncan",
            "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray", "Delgado", "Berry",
            "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis", "Carpenter",
            "Lawrence", "Sandoval", "Guerrero", "George", "Chapman", "Rios", "Estrada", "Ortega", "Watkins", "Greene",
            "Nunez", "Wheeler", "Valdez", "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison", "Franklin",
            "Carlson", "Austin", "Dominguez", "Carr", "Lawson", "Jacobs", "O'Brien", "Lynch", "Vega", "Bishop",
            "Montgomery", "Oliver", "Jensen", "Harvey", "Williamson", "Gilbert", "Dean", "Sims", "Espinoza", "Howell",
            "Reid", "Hanson", "McCoy", "Garrett", "Burton", "Fuller", "Weber", "Welch", "Rojas", "Lucas", "Marquez",
            "Fields", "Little", "Banks", "Padilla", "Day", "Walsh", "Bowman", "Schultz", "Luna", "Fowler", "Mejia",
            "Davidson", "Acosta", "Brewer", "May", "Holland", "Juarez", "Newman", "Pearson", "Curtis", "Cortez",
            "Douglas", "Schneider", "Joseph", "Barrett", "Navarro", "Figueroa", "Keller", "Avila", "Wade", "Molina",
            "Stanley", "Hopkins", "Campos", "Barnett", "Bates", "Chambers", "Caldwell", "Beck", "Lambert", "Miranda",
            "Byrd", "Craig", "Ayala", "Lowe", "Frazier", "Powers", "Neal", "Leonard", "Gregory", "O'Connor"};
    /** Cities by metropolitan area, the largest area first and its main city first: a neighbour is another city of the area. */
    private static final String[][] METROS = {
            {"New York", "Brooklyn", "Jersey City", "Newark", "Yonkers", "Hoboken", "White Plains"},
            {"Los Angeles", "Long Beach", "Pasadena", "Glendale", "Santa Monica", "Anaheim", "Burbank"},
            {"Chicago", "Evanston", "Naperville", "Joliet", "Oak Park"},
            {"Houston", "Sugar Land", "Katy", "The Woodlands"},
            {"Dallas", "Fort Worth", "Arlington", "Plano", "Irving"},
            {"Philadelphia", "Camden", "Cherry Hill", "Wilmington"},
            {"Washington", "Alexandria", "Bethesda", "Silver Spring"},
            {"Miami", "Fort Lauderdale", "Hialeah", "Miami Beach"},
            {"Atlanta", "Marietta", "Decatur", "Sandy Springs"},
            {"Boston", "Cambridge", "Somerville", "Quincy", "Newton"},
            {"Phoenix", "Mesa", "Scottsdale", "Tempe", "Chandler"},
            {"San Francisco", "Oakland", "Berkeley", "Daly City"},
            {"San Jose", "Palo Alto", "Fremont", "Sunnyvale"},
            {"Seattle", "Bellevue", "Tacoma", "Redmond"},
            {"Detroit", "Dearborn", "Ann Arbor"},
            {"Minneapolis", "Saint Paul", "Bloomington"},
            {"San Diego", "Chula Vista", "Oceanside"},
            {"Tampa", "St. Petersburg", "Clearwater"},
            {"Denver", "Boulder", "Lakewood"},
            {"Baltimore", "Towson"},
            {"St. Louis"},
            {"Orlando", "Kissimmee"},
            {"Charlotte"},
            {"San Antonio", "New Braunfels"},
            {"Portland", "Beaverton", "Gresham"},
            {"Sacramento", "Elk Grove"},
            {"Pittsburgh"},
            {"Austin", "Round Rock"},
            {"Las Vegas", "Henderson"},
            {"Cincinnati"},
            {"Kansas City", "Overland Park"},
            {"Columbus"},
            {"Indianapolis", "Carmel"},
            {"Cleveland", "Akron"},
            {"Nashville", "Franklin"},
            {"Raleigh", "Durham"},
            {"Milwaukee"},
            {"Salt Lake City", "Provo"},
            {"Richmond"},
            {"Louisville"},
            {"Memphis"},
            {"New Orleans"},
            {"Buffalo"},
            {"Hartford"},
            {"Albuquerque"},
            {"Tucson"},
            {"Omaha"}};
    private static final String[] CITIES = Arrays.stream(METROS).flatMap(Arrays::stream).toArray(String[]::new);
    private static final int[] METRO_OF = new int[CITIES.length];
    /**
     * Cumulative shares of the cities: an area's share Zipf-like by its rank ({@code 1/(rank+3)}), split
     * among its cities by their rank in it ({@code 1/rank}), so the main city of a large area is the commonest.
     */
    private static final double[] CITY_CDF = new double[CITIES.length];

    static {
        double sum = 0;
        for (int metro = 0, city = 0; metro < METROS.length; metro++) {
            double inside = 0;
            for (int i = 0; i < METROS[metro].length; i++) {
                inside += 1.0 / (i + 1);
            }
            for (int i = 0; i < METROS[metro].length; i++) {
                METRO_OF[city] = metro;
                sum += 1.0 / (metro + 4) / (i + 1) / inside;
                CITY_CDF[city++] = sum;
            }
        }
        for (int city = 0; city < CITIES.length; city++) {
            CITY_CDF[city] /= sum;
        }
    }

    /** E-mail domains, each with its weight: webmail and some companies. */
    private static final String[] DOMAINS = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com",
            "icloud.com", "comcast.net", "msn.com", "contoso.com", "fabrikam.com", "northwind.com", "initech.com",
            "globex.com", "hooli.com", "acmecorp.com", "umbrella-corp.com"};
    private static final int[] DOMAIN_WEIGHTS = {35, 14, 10, 9, 4, 6, 3, 2, 3, 3, 2, 2, 2, 2, 2, 1};
    /** Common ways of mistyping a domain. */
    private static final Map<String, String[]> DOMAIN_TYPOS = Map.of(
            "gmail.com", new String[]{"gmial.com", "gmail.co", "gmai.com", "gnail.com", "gmail.cm"},
            "yahoo.com", new String[]{"yaho.com", "yahooo.com", "yahoo.co"},
            "outlook.com", new String[]{"outlok.com", "outllook.com"},
            "hotmail.com", new String[]{"hotmial.com", "hotmal.com", "hotmail.co"},
            "icloud.com", new String[]{"iclod.com", "icloud.co"},
            "aol.com", new String[]{"aol.co", "aoll.com"});
    /** Short forms of given names, as people give them. */
    private static final Map<String, String[]> NICKNAMES = Map.ofEntries(
            Map.entry("Robert", new String[]{"Bob", "Rob", "Bobby"}), Map.entry("William", new String[]{"Bill", "Will", "Billy"}),
            Map.entry("Elizabeth", new String[]{"Liz", "Beth", "Betty"}), Map.entry("James", new String[]{"Jim", "Jimmy"}),
            Map.entry("John", new String[]{"Jack", "Johnny"}), Map.entry("Michael", new String[]{"Mike"}),
            Map.entry("Richard", new String[]{"Rick", "Dick"}), Map.entry("Thomas", new String[]{"Tom"}),
            Map.entry("Charles", new String[]{"Charlie", "Chuck"}), Map.entry("Joseph", new String[]{"Joe"}),
            Map.entry("Daniel", new String[]{"Dan", "Danny"}), Map.entry("Matthew", new String[]{"Matt"}),
            Map.entry("Anthony", new String[]{"Tony"}), Map.entry("Christopher", new String[]{"Chris"}),
            Map.entry("Jennifer", new String[]{"Jen", "Jenny"}), Map.entry("Katherine", new String[]{"Kate", "Kathy"}),
            Map.entry("Margaret", new String[]{"Maggie", "Peggy"}), Map.entry("Patricia", new String[]{"Pat", "Patty"}),
            Map.entry("Susan", new String[]{"Sue"}), Map.entry("Deborah", new String[]{"Debbie", "Deb"}),
            Map.entry("Rebecca", new String[]{"Becky"}), Map.entry("Samantha", new String[]{"Sam"}),
            Map.entry("Alexander", new String[]{"Alex"}), Map.entry("Benjamin", new String[]{"Ben"}),
            Map.entry("Nicholas", new String[]{"Nick"}), Map.entry("Jonathan", new String[]{"Jon"}),
            Map.entry("Edward", new String[]{"Ed", "Ted"}), Map.entry("Steven", new String[]{"Steve"}),
            Map.entry("Andrew", new String[]{"Andy", "Drew"}), Map.entry("David", new String[]{"Dave"}),
            Map.entry("Timothy", new String[]{"Tim"}), Map.entry("Kenneth", new String[]{"Ken"}),
            Map.entry("Gregory", new String[]{"Greg"}), Map.entry("Victoria", new String[]{"Vicky", "Tori"}),
            Map.entry("Jessica", new String[]{"Jess"}), Map.entry("Abigail", new String[]{"Abby"}),
            Map.entry("Catherine", new String[]{"Cathy", "Kate"}), Map.entry("Christina", new String[]{"Tina"}),
            Map.entry("Kimberly", new String[]{"Kim"}), Map.entry("Pamela", new String[]{"Pam"}),
            Map.entry("Cynthia", new String[]{"Cindy"}), Map.entry("Donald", new String[]{"Don"}),
            Map.entry("Ronald", new String[]{"Ron"}), Map.entry("Lawrence", new String[]{"Larry"}),
            Map.entry("Gerald", new String[]{"Jerry"}), Map.entry("Samuel", new String[]{"Sam"}),
            Map.entry("Zachary", new String[]{"Zach"}), Map.entry("Jacqueline", new String[]{"Jackie"}),
            Map.entry("Judith", new String[]{"Judy"}), Map.entry("Dorothy", new String[]{"Dot", "Dottie"}),
            Map.entry("Theresa", new String[]{"Terry"}), Map.entry("Frances", new String[]{"Fran"}));

    private static final double[] MALE_CDF = zipf(MALE.length, 8, 1.0);
    private static final double[] FEMALE_CDF = zipf(FEMALE.length, 8, 1.0);
    private static final double[] FAMILY_CDF = zipf(FAMILY.length, 10, 1.0);

    /** What was written: one file per source, the number of records and people, the true duplicate pairs. */
    public record Dataset(List<Path> files, int records, int people, long truePairs) {
    }

    /** A person, or one record of one: null where the record has no value. */
    private record Person(String id, boolean male, String given, String family, LocalDate birth, Integer city,
                          String email) {
    }

    private SparsePeople() {
    }

    /** Writes {@code records} records (CSV, UTF-8) as {@code crm.csv}, {@code shop.csv}, {@code billing.csv} in {@code dir}. */
    public static Dataset write(Path dir, int records, long seed) throws IOException {
        Random random = new Random(seed);
        List<List<List<String>>> rows = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Set<String> emails = new HashSet<>();
        List<Person> everyone = new ArrayList<>();
        int written = 0;
        long truePairs = 0;
        while (written < records) {
            Person person = person(random, everyone, emails);
            everyone.add(person);
            int roll = random.nextInt(100);
            int copies = Math.min(roll < 60 ? 1 : roll < 88 ? 2 : 3, records - written);
            truePairs += (long) copies * (copies - 1) / 2;
            List<Integer> sources = new ArrayList<>(List.of(0, 1, 2));
            Collections.shuffle(sources, random);
            for (int copy = 0; copy < copies; copy++) {
                int source = sources.get(copy);
                Person variant = copy == 0 ? person : vary(person, random, emails);
                rows.get(source).add(row(variant, source, written));
                written++;
            }
        }
        List<Path> files = SyntheticPeople.writeSources(dir, SOURCES, COLUMNS, rows, random);
        return new Dataset(files, written, everyone.size(), truePairs);
    }

    /** A new person: mostly a stranger, sometimes a namesake of an earlier person or the twin of the last one. */
    private static Person person(Random random, List<Person> everyone, Set<String> emails) {
        String id = "P" + everyone.size();
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 66));
        int roll = random.nextInt(1000);
        if (roll < 30 && !everyone.isEmpty()) {
            // a namesake: same name and city, another birth date and e-mail
            Person other = everyone.get(random.nextInt(everyone.size()));
            int city = other.city() != null ? other.city() : city(random);
            return new Person(id, other.male(), other.given(), other.family(), birth, city,
                    chance(random, 92) ? email(other.given(), other.family(), birth, random, emails) : null);
        }
        boolean male = random.nextBoolean();
        if (roll < 45 && !everyone.isEmpty()) {
            // a twin: same family name, birth date and city, another given name
            Person sibling = everyone.get(everyone.size() - 1);
            String given = given(random, male);
            while (given.equals(sibling.given())) {
                given = given(random, male);
            }
            int city = sibling.city() != null ? sibling.city() : city(random);
            LocalDate born = sibling.birth() != null ? sibling.birth() : birth;
            return new Person(id, male, given, sibling.family(), born, city,
                    chance(random, 92) ? email(given, sibling.family(), born, random, emails) : null);
        }
        String given = given(random, male);
        String family = pick(FAMILY, FAMILY_CDF, random);
        return new Person(id, male, given, family, birth, city(random),
                chance(random, 92) ? email(given, family, birth, random, emails) : null);
    }

    /** A later record of the same person, as another system or a later sign-up has it. */
    private static Person vary(Person p, Random random, Set<String> emails) {
        String given = p.given();
        String family = p.family();
        String[] nicknames = NICKNAMES.get(given);
        if (nicknames != null && chance(random, 12)) {
            given = nicknames[random.nextInt(nicknames.length)];
        }
        if (chance(random, 7)) {
            given = SyntheticPeople.typo(given, random);
        }
        if (chance(random, 7)) {
            family = SyntheticPeople.typo(family, random);
        }
        int words = random.nextInt(100);
        if (words < 5) {
            // the family name only
            given = null;
        } else if (words < 8) {
            // the given name only, written where the family (or full) name goes
            family = given;
            given = null;
        } else if (chance(random, 5)) {
            String swap = given;
            given = family;
            family = swap;
        }

        LocalDate birth = p.birth();
        if (birth != null) {
            int roll = random.nextInt(100);
            if (roll < 9) {
                birth = null;
            } else if (roll < 17) {
                int days = 1 + random.nextInt(10);
                birth = random.nextBoolean() ? birth.plusDays(days) : birth.minusDays(days);
            } else if (roll < 21) {
                if (birth.getDayOfMonth() <= 12 && birth.getDayOfMonth() != birth.getMonthValue()) {
                    birth = LocalDate.of(birth.getYear(), birth.getDayOfMonth(), birth.getMonthValue());
                }
            } else if (roll < 25) {
                birth = birth.plusYears(random.nextBoolean() ? 1 : -1);
            }
        }

        String email = p.email();
        int roll = random.nextInt(100);
        if (roll < 12) {
            email = null;
        } else if (roll < 20) {
            email = email(p.given(), p.family(), p.birth(), random, emails);
        } else if (roll < 24 && email != null) {
            int at = email.indexOf('@');
            email = SyntheticPeople.typo(email.substring(0, at), random) + email.substring(at);
        } else if (roll < 26 && email != null) {
            int at = email.indexOf('@');
            String domain = email.substring(at + 1);
            String[] typos = DOMAIN_TYPOS.get(domain);
            String typo = typos != null ? typos[random.nextInt(typos.length)] : SyntheticPeople.typo(domain, random);
            email = email.substring(0, at + 1) + typo;
        }

        Integer city = p.city();
        roll = random.nextInt(100);
        if (roll < 7) {
            city = null;
        } else if (roll < 13 && city != null) {
            String[] metro = METROS[METRO_OF[city]];
            if (metro.length > 1) {
                String neighbour = metro[random.nextInt(metro.length)];
                while (neighbour.equals(CITIES[city])) {
                    neighbour = metro[random.nextInt(metro.length)];
                }
                city = Arrays.asList(CITIES).indexOf(neighbour);
            } else {
                city = city(random);
            }
        } else if (roll < 15) {
            city = city(random);
        }
        return new Person(p.id(), p.male(), given, family, birth, city, email);
    }

    /** The record as source {@code source} writes it; {@code given} null means a one-word name in {@code family}. */
    private static List<String> row(Person p, int source, int index) {
        String full = "";
        String given = "";
        String family = "";
        String birth = "";
        switch (source) {
            case 0 -> {
                full = p.given() == null ? p.family() : p.given() + " " + p.family();
                birth = p.birth() == null ? "" : p.birth().toString();
            }
            case 1 -> {
                given = p.given() == null ? "" : p.given();
                family = p.family();
                birth = p.birth() == null ? "" : DAY_FIRST.format(p.birth());
            }
            default -> {
                full = p.family().toUpperCase(Locale.ROOT) + (p.given() == null ? "" : ", " + p.given());
                birth = p.birth() == null ? "" : COMPACT.format(p.birth());
            }
        }
        return Arrays.asList(SOURCES[source].substring(0, 1).toUpperCase(Locale.ROOT) + index, p.id(), full, given,
                family, birth, p.city() == null ? "" : CITIES[p.city()], p.email() == null ? "" : p.email());
    }

    /**
     * An address made from the name as people make them, unique among those made so far: the next
     * free one with a number appended when it is taken, as a mail provider would offer.
     */
    private static String email(String given, String family, LocalDate birth, Random random, Set<String> taken) {
        String g = letters(given);
        String f = letters(family);
        String yy = String.format(Locale.ROOT, "%02d", birth.getYear() % 100);
        String local = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5 -> g + "." + f;
            case 6, 7, 8 -> g.charAt(0) + f;
            case 9, 10 -> g + f;
            case 11, 12 -> f + "." + g + yy;
            case 13, 14, 15 -> g + "." + f + (random.nextBoolean() ? yy : Integer.toString(1 + random.nextInt(999)));
            case 16, 17 -> g + f.charAt(0) + (1 + random.nextInt(99));
            case 18 -> g + "_" + f;
            default -> g + birth.getYear();
        };
        String domain = pick(DOMAINS, DOMAIN_WEIGHTS, random);
        String email = local + "@" + domain;
        for (int n = 2; !taken.add(email); n++) {
            email = local + n + "@" + domain;
        }
        return email;
    }

    private static String letters(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    private static String given(Random random, boolean male) {
        return male ? pick(MALE, MALE_CDF, random) : pick(FEMALE, FEMALE_CDF, random);
    }

    private static int city(Random random) {
        return index(CITY_CDF, random);
    }

    /** Cumulative shares of ranks 1..n weighted {@code 1/(rank+offset)^exponent}: Zipf-like, flattened at the top. */
    static double[] zipf(int n, double offset, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1 + offset, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    static int index(double[] cdf, Random random) {
        int at = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(at >= 0 ? at : -at - 1, cdf.length - 1);
    }

    static String pick(String[] values, double[] cdf, Random random) {
        return values[index(cdf, random)];
    }

    private static String pick(String[] values, int[] weights, Random random) {
        int pick = random.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return values[i];
            }
        }
        return values[0];
    }

    private static boolean chance(Random random, int percent) {
        return random.nextInt(100) < percent;
    }
}
