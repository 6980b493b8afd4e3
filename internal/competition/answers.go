package competition

// writtenAnswers are the demo candidates' answers to the written tasks, by task and language:
// a strong answer, a fair one and a weak one, as candidates typed them in the kiosk (paragraphs
// separated by a blank line; no Markdown).
var writtenAnswers = map[string]map[string][3]string{
	"pro-wr-01": {
		"bs": {
			`Dispozitiv

1. Zahtjev za pristup informacijama djelimično se usvaja i podnosiocu zahtjeva odobrava se pristup svim trima ugovorima o nabavci računarske opreme koje je ministarstvo zaključilo prošle godine.
2. Odbija se pristup prilogu jednog od ugovora koji sadrži tehničku dokumentaciju dobavljača.
3. Kopije ugovora, bez priloga iz tačke 2, dostavit će se podnosiocu zahtjeva elektronskom poštom ili poštom, bez odgađanja, a najkasnije u zakonskom roku.

Obrazloženje

Novinar je podnio zahtjev kojim traži kopije svih ugovora koje je ministarstvo prošle godine zaključilo za nabavku računarske opreme. Provjerom je utvrđeno da ministarstvo posjeduje tri takva ugovora i da oni, osim jednog priloga, ne sadrže zaštićene podatke.

Taj prilog sadrži detaljnu tehničku dokumentaciju koju je dobavljač označio kao poslovnu tajnu, a procjenom je utvrđeno da bi njeno otkrivanje ozbiljno naštetilo legitimnim poslovnim interesima dobavljača. Ministarstvo je tu štetu odvagnulo u odnosu na javni interes da se zna kako se troši javni novac. Iz samih ugovora javnost može vidjeti šta je nabavljeno, od koga, po kojoj cijeni i pod kojim uslovima, tako da je taj interes zadovoljen, dok bi tehnički detalji proizvoda malo doprinijeli kontroli nabavke, a dobavljaču bi nanijeli ozbiljnu štetu u odnosu na konkurenciju. Zato je prilog izdvojen i pristup njemu odbijen, a ostali dio tražene informacije se otkriva, kako je odlučeno u dispozitivu.

Pouka o pravnom lijeku

Protiv ovog rješenja podnosilac zahtjeva može izjaviti žalbu nadležnom drugostepenom organu u zakonskom roku od dana prijema rješenja. Žalba se podnosi putem ministarstva, pismeno ili usmeno na zapisnik.`,
			`Dispozitiv

Zahtjev novinara se djelimično usvaja. Dostavljaju mu se kopije tri ugovora o nabavci računarske opreme iz prošle godine, a za prilog koji sadrži tehničku dokumentaciju dobavljača pristup se odbija.

Obrazloženje

Novinar je tražio kopije svih ugovora za nabavku računarske opreme koje je ministarstvo zaključilo prošle godine. Ministarstvo ima tri takva ugovora. U njima nema zaštićenih podataka i zato se novinaru dostavljaju.

Jedan od ugovora ima prilog sa tehničkom dokumentacijom, koju je dobavljač označio kao poslovnu tajnu. Procjenom je utvrđeno da bi otkrivanje ovog priloga ozbiljno naštetilo poslovnim interesima dobavljača, a poslovna tajna je izuzetak od prava na pristup informacijama. Zbog toga se prilog izdvaja i ne dostavlja, a ostali dokumenti se dostavljaju u cijelosti.

Pouka o pravnom lijeku

Protiv ovog rješenja može se izjaviti žalba u roku od 15 dana od dana prijema rješenja.`,
			`Rješenje

Zahtjev novinara se odbija. Ugovori o nabavci računarske opreme sadrže podatke dobavljača koje je on označio kao poslovnu tajnu, a ministarstvo je dužno da štiti podatke firmi sa kojima radi. Ako bi se ugovori dali novinaru, dobavljač bi mogao tužiti ministarstvo za štetu.

Novinar se za informacije može obratiti direktno dobavljaču.

Protiv ovog rješenja može se izjaviti žalba.`,
		},
		"hr": {
			`Izreka

1. Zahtjev za pristup informacijama djelomično se usvaja te se podnositelju zahtjeva odobrava pristup svim trima ugovorima o nabavi računalne opreme koje je ministarstvo sklopilo prošle godine.
2. Odbija se zahtjev u dijelu koji se odnosi na prilog jednoga od ugovora s tehničkom dokumentacijom dobavljača.
3. Preslike ugovora, bez priloga iz točke 2., dostavit će se podnositelju zahtjeva elektroničkom poštom ili poštom u zakonskom roku.

Obrazloženje

Podnositelj zahtjeva, novinar, zatražio je preslike svih ugovora koje je ministarstvo prošle godine sklopilo za nabavu računalne opreme. Utvrđeno je da ministarstvo posjeduje tri takva ugovora te da oni, osim jednog priloga, ne sadrže zaštićene podatke.

Prilog jednomu od ugovora sadrži detaljnu tehničku dokumentaciju koju je dobavljač označio poslovnom tajnom, a procjenom je utvrđeno da bi njezino otkrivanje ozbiljno naštetilo njegovim legitimnim poslovnim interesima. Stoga je proveden test razmjernosti i javnog interesa. Javni interes da se zna kako se troši proračunski novac ostvaruje se davanjem samih ugovora, iz kojih su vidljivi predmet nabave, cijena, rokovi i ostali uvjeti. Tehnički detalji proizvoda ne bi bitno pridonijeli nadzoru javnosti nad nabavom, a dobavljaču bi nanijeli ozbiljnu štetu na tržištu, pa šteta od otkrivanja nadmašuje korist za javnost. Zbog toga je zaštićeni prilog izdvojen, a sve se ostale informacije daju, kako je navedeno u izreci.

Uputa o pravnom lijeku

Protiv ovoga rješenja podnositelj zahtjeva može izjaviti žalbu nadležnom drugostupanjskom tijelu u zakonskom roku, računajući od dana primitka rješenja. Žalba se predaje putem ministarstva, pisano ili usmeno na zapisnik.`,
			`Izreka

Zahtjev se djelomično usvaja. Podnositelju se dostavljaju preslike triju ugovora o nabavi računalne opreme sklopljenih prošle godine, osim priloga s tehničkom dokumentacijom dobavljača, za koji se pristup odbija.

Obrazloženje

Novinar je zatražio preslike svih ugovora za nabavu računalne opreme iz prošle godine. Ministarstvo posjeduje tri takva ugovora i u njima nema zaštićenih podataka, pa se preslike mogu dati.

Prilog jednog ugovora sadrži tehničku dokumentaciju koju je dobavljač označio kao poslovnu tajnu. Procjena je pokazala da bi njezino otkrivanje ozbiljno naštetilo dobavljaču, a poslovna tajna zaštićena je zakonom i predstavlja ograničenje prava na pristup informacijama. Zato se taj prilog izdvaja, a ostatak dokumentacije dostavlja se podnositelju.

Uputa o pravnom lijeku

Protiv ovog rješenja može se izjaviti žalba u roku od 15 dana od dana primitka rješenja.`,
			`Rješenje

Zahtjev novinara se usvaja i dostavit će mu se svi ugovori zajedno s prilozima. Radi se o javnom novcu i javnost ima pravo znati sve, pa tako i tehničku dokumentaciju, bez obzira na to što ju je dobavljač označio kao poslovnu tajnu.

Protiv ovog rješenja nije dopuštena žalba, ali se može pokrenuti upravni spor.`,
		},
		"sr-Latn": {
			`Dispozitiv

1. Zahtev za pristup informacijama od javnog značaja delimično se usvaja i podnosiocu zahteva odobrava se pristup ugovorima o nabavci računarske opreme koje je ministarstvo zaključilo prošle godine, i to za sva tri ugovora.
2. Odbija se zahtev u delu koji se odnosi na prilog jednog od ugovora, koji sadrži tehničku dokumentaciju dobavljača.
3. Kopije ugovora, bez priloga iz tačke 2, biće dostavljene podnosiocu zahteva elektronskom poštom, odnosno poštom, u zakonskom roku.

Obrazloženje

Novinar je podneo zahtev kojim traži kopije svih ugovora koje je ministarstvo prošle godine zaključilo za nabavku računarske opreme. U postupku je utvrđeno da ministarstvo poseduje tri takva ugovora i da u njima, osim u jednom prilogu, nema zaštićenih podataka.

Taj prilog sadrži detaljnu tehničku dokumentaciju koju je dobavljač označio kao poslovnu tajnu, a procenom je utvrđeno da bi njeno otkrivanje ozbiljno naškodilo njegovim legitimnim poslovnim interesima. Prilikom odlučivanja javni interes da se zna kako se troši novac iz budžeta odmeren je u odnosu na štetu za dobavljača. Ocenjeno je da taj interes zadovoljavaju sami ugovori, jer se iz njih vide predmet nabavke, cena i ugovoreni uslovi, dok bi objavljivanje tehničkih detalja proizvoda malo doprinelo kontroli trošenja javnih sredstava, a dobavljaču bi nanelo ozbiljnu štetu na tržištu. Zbog toga je prilog izdvojen i pristup njemu uskraćen, a svi ostali delovi traženih dokumenata se otkrivaju.

Pouka o pravnom sredstvu

Protiv ovog rešenja podnosilac zahteva može izjaviti žalbu nadležnom drugostepenom organu u zakonskom roku, koji teče od dana prijema rešenja. Žalba se podnosi preko ministarstva, pismeno ili usmeno na zapisnik.`,
			`Dispozitiv

Zahtev se delimično usvaja. Novinaru se dostavljaju kopije tri ugovora o nabavci računarske opreme iz prošle godine, a odbija se pristup prilogu koji sadrži tehničku dokumentaciju dobavljača.

Obrazloženje

Novinar je zatražio kopije svih ugovora koje je ministarstvo zaključilo prošle godine za nabavku računarske opreme. Ministarstvo poseduje tri takva ugovora. Ugovori ne sadrže zaštićene podatke, pa nema razloga da se pristup njima uskrati.

Uz jedan ugovor postoji prilog sa tehničkom dokumentacijom dobavljača, koju je dobavljač označio kao poslovnu tajnu. Procenom je utvrđeno da bi njeno otkrivanje ozbiljno naškodilo dobavljaču, a poslovna tajna je zaštićena zakonom. Iz tog razloga se prilog izdvaja i ne dostavlja, dok se sve ostalo dostavlja podnosiocu zahteva.

Pouka o pravnom sredstvu

Protiv ovog rešenja može se izjaviti žalba u roku od 15 dana od dana prijema rešenja.`,
			`Rešenje

Zahtev novinara se odbija zato što ugovori o nabavci opreme sadrže poslovnu tajnu dobavljača. Dobavljač je označio dokumentaciju kao tajnu i ministarstvo to mora da poštuje, jer bi inače dobavljač imao štetu.

Podaci o nabavkama su ionako dostupni na portalu javnih nabavki, pa novinar tamo može da ih nađe.

Žalba se može podneti ministarstvu.`,
		},
		"sr-Cyrl": {
			`Диспозитив

1. Захтев за приступ информацијама од јавног значаја делимично се усваја и подносиоцу захтева одобрава се приступ уговорима о набавци рачунарске опреме које је министарство закључило прошле године, и то за сва три уговора.
2. Одбија се захтев у делу који се односи на прилог једног од уговора, који садржи техничку документацију добављача.
3. Копије уговора, без прилога из тачке 2, биће достављене подносиоцу захтева електронском поштом, односно поштом, у законском року.

Образложење

Новинар је поднео захтев којим тражи копије свих уговора које је министарство прошле године закључило за набавку рачунарске опреме. У поступку је утврђено да министарство поседује три таква уговора и да у њима, осим у једном прилогу, нема заштићених података.

Тај прилог садржи детаљну техничку документацију коју је добављач означио као пословну тајну, а проценом је утврђено да би њено откривање озбиљно нашкодило његовим легитимним пословним интересима. Приликом одлучивања јавни интерес да се зна како се троши новац из буџета одмерен је у односу на штету за добављача. Оцењено је да тај интерес задовољавају сами уговори, јер се из њих виде предмет набавке, цена и уговорени услови, док би објављивање техничких детаља производа мало допринело контроли трошења јавних средстава, а добављачу би нанело озбиљну штету на тржишту. Због тога је прилог издвојен и приступ њему ускраћен, а сви остали делови тражених докумената се откривају.

Поука о правном средству

Против овог решења подносилац захтева може изјавити жалбу надлежном другостепеном органу у законском року, који тече од дана пријема решења. Жалба се подноси преко министарства, писмено или усмено на записник.`,
			`Диспозитив

Захтев се делимично усваја. Новинару се достављају копије три уговора о набавци рачунарске опреме из прошле године, а одбија се приступ прилогу који садржи техничку документацију добављача.

Образложење

Новинар је затражио копије свих уговора које је министарство закључило прошле године за набавку рачунарске опреме. Министарство поседује три таква уговора. Уговори не садрже заштићене податке, па нема разлога да се приступ њима ускрати.

Уз један уговор постоји прилог са техничком документацијом добављача, коју је добављач означио као пословну тајну. Проценом је утврђено да би њено откривање озбиљно нашкодило добављачу, а пословна тајна је заштићена законом. Из тог разлога се прилог издваја и не доставља, док се све остало доставља подносиоцу захтева.

Поука о правном средству

Против овог решења може се изјавити жалба у року од 15 дана од дана пријема решења.`,
			`Решење

Захтев новинара се одбија зато што уговори о набавци опреме садрже пословну тајну добављача. Добављач је означио документацију као тајну и министарство то мора да поштује, јер би иначе добављач имао штету.

Подаци о набавкама су ионако доступни на порталу јавних набавки, па новинар тамо може да их нађе.

Жалба се може поднети министарству.`,
		},
		"sq": {
			`Dispozitivi

1. Kërkesa për qasje në informacion miratohet pjesërisht dhe parashtruesit të kërkesës i lejohet qasja në të tri kontratat për blerjen e pajisjeve kompjuterike që ministria ka lidhur vitin e kaluar.
2. Refuzohet qasja në shtojcën e njërës prej kontratave, e cila përmban dokumentacionin teknik të furnizuesit.
3. Kopjet e kontratave, pa shtojcën nga pika 2, i dërgohen parashtruesit me postë elektronike brenda afatit ligjor.

Arsyetimi

Gazetari ka kërkuar kopjet e të gjitha kontratave për pajisje kompjuterike të lidhura vitin e kaluar. Është vërtetuar se ministria zotëron tri kontrata të tilla dhe se ato, përveç një shtojce, nuk përmbajnë të dhëna të mbrojtura.

Shtojca përmban dokumentacionin e detajuar teknik të furnizuesit, të cilin ai e ka shënuar si sekret tregtar, dhe vlerësimi ka treguar se zbulimi i tij do t'i dëmtonte rëndë interesat e tij të ligjshme tregtare. Ministria e ka peshuar këtë dëm përkundrejt interesit publik për të ditur si shpenzohen paratë publike. Ky interes përmbushet nga vetë kontratat, sepse prej tyre shihet çfarë është blerë, me çfarë çmimi dhe me cilat kushte. Detajet teknike të produkteve nuk do ta ndihmonin shumë publikun në mbikëqyrjen e prokurimit, ndërsa furnizuesit do t'i shkaktonin dëm serioz në raport me konkurrentët. Prandaj shtojca është ndarë dhe qasja në të refuzohet, ndërsa pjesa tjetër e informacionit zbulohet.

Udhëzimi për mjetet juridike

Kundër këtij vendimi parashtruesi mund të paraqesë ankesë në organin kompetent të shkallës së dytë brenda afatit ligjor, nga dita e pranimit të vendimit. Ankesa paraqitet përmes ministrisë, me shkrim ose me gojë në procesverbal.`,
			`Dispozitivi

Kërkesa miratohet pjesërisht. Gazetarit i dorëzohen kopjet e tri kontratave për blerjen e pajisjeve kompjuterike të lidhura vitin e kaluar, ndërsa qasja në shtojcën me dokumentacionin teknik të furnizuesit refuzohet.

Arsyetimi

Gazetari ka kërkuar kopjet e të gjitha kontratave për pajisje kompjuterike që ministria ka lidhur vitin e kaluar. Ministria ka tri kontrata të tilla dhe ato nuk përmbajnë të dhëna të mbrojtura, prandaj mund t'i jepen gazetarit.

Njëra kontratë ka një shtojcë me dokumentacion teknik, të cilin furnizuesi e ka shënuar si sekret tregtar. Sipas vlerësimit, zbulimi i shtojcës do ta dëmtonte rëndë furnizuesin, ndërsa sekreti tregtar mbrohet me ligj. Për këtë arsye shtojca ndahet dhe nuk jepet, kurse dokumentet e tjera dorëzohen të plota.

Udhëzimi për mjetet juridike

Kundër këtij vendimi mund të paraqitet ankesë brenda afatit ligjor.`,
			`Vendimi

Kërkesa e gazetarit miratohet plotësisht dhe atij i jepen të gjitha kontratat bashkë me shtojcat. Paratë janë publike, prandaj publiku ka të drejtë t'i dijë të gjitha, edhe nëse furnizuesi thotë se është sekret tregtar. Ministria duhet të jetë transparente.

Kopjet do t'i dërgohen kur të jenë gati. Gazetari mund të ankohet nëse nuk është i kënaqur.`,
		},
		"en": {
			`Operative part

1. The request is granted in part: the applicant is given access to all three contracts for computer equipment that the ministry concluded last year.
2. Access is refused to the annex to one of the contracts, which contains the supplier's technical documentation.
3. Copies of the contracts, without the annex referred to in point 2, will be sent to the applicant by e-mail within the time limit set by law.

Reasoning

A journalist requested copies of all contracts the ministry concluded last year for the purchase of computer equipment. It was established that the ministry holds three such contracts and that, apart from one annex, they contain no protected data.

That annex contains detailed technical documentation which the supplier has marked as a trade secret; an assessment showed that disclosing it would seriously harm the supplier's legitimate business interests. The ministry weighed this harm against the public interest in knowing how public money is spent. That interest is served by the contracts themselves, which show what was bought, at what price and on what terms. The technical specifications would add little to public scrutiny of the procurement but would hand the supplier's competitors an unfair advantage. The annex has therefore been separated and withheld, and everything else is disclosed.

Instruction on legal remedy

The applicant may appeal against this decision to the competent second-instance body within the time limit set by law, counted from the day of receipt. The appeal is lodged through the ministry, in writing or orally on the record.`,
			`Operative part

The request is partly granted. The journalist will receive copies of the three contracts for computer equipment signed last year, but access to the annex with the supplier's technical documentation is refused.

Reasoning

The journalist asked for copies of all contracts for the purchase of computer equipment that the ministry concluded last year. The ministry has three such contracts and they contain no protected information, so there is no reason to refuse access to them.

One contract has an annex with technical documentation which the supplier marked as a trade secret. The assessment found that disclosing it would seriously harm the supplier's business interests, and trade secrets are protected by law as an exception to the right of access. For this reason the annex is removed and the rest of the documents are provided.

Instruction on legal remedy

An appeal may be lodged against this decision within the legal deadline.`,
			`Decision

The request is refused. The contracts contain information about the supplier which the supplier has marked as a trade secret, and the ministry has to protect the confidentiality of its business partners. Releasing the contracts could also expose the ministry to a claim for damages.

The journalist can appeal if he disagrees with this decision.`,
		},
	},
	"pro-wr-02": {
		"bs": {
			`Plan postupka

1. Priprema (1. sedmica): provjeriti da je radno mjesto predviđeno pravilnikom o sistematizaciji i da su sredstva osigurana u budžetu, te s ministarstvom dogovoriti tekst konkursa i sastav konkursne komisije. Tako se izbjegava da se postupak kasnije obustavi.
2. Javni konkurs (2. do 4. sedmica): objava u službenom glasniku, na internet stranici Agencije i u dnevnim novinama, s uslovima, spiskom potrebnih dokumenata i rokom za prijave, kako bi svi zainteresovani imali jednaku priliku.
3. Provjera prijava (5. sedmica): komisija utvrđuje koje su prijave blagovremene i potpune i ko ispunjava uslove, a ostale se odbacuju rješenjem uz pouku o žalbi.
4. Ispit (6. do 8. sedmica): pismeni test i intervju sa istim pitanjima i unaprijed određenim kriterijima bodovanja za sve kandidate, da bi se odabir zasnivao samo na znanju i sposobnostima.
5. Rang-lista i izbor (9. i 10. sedmica): komisija sačinjava rang-listu, bira se najbolje rangirani kandidat, a svi kandidati se obavještavaju o ishodu i pravu na žalbu.
6. Postavljenje (11. i 12. sedmica): kada odluka postane konačna, donosi se rješenje o postavljenju.
7. Uvođenje u posao (prve sedmice rada): mentor i plan uvođenja u posao, kako bi se novi službenik što prije osamostalio tokom probnog rada.

Jednak pristup i transparentnost osiguravaju se javnom objavom, istim kriterijima za sve i izjavama članova komisije da nisu u sukobu interesa. Lični podaci kandidata prikupljaju se samo u mjeri potrebnoj za postupak, dostupni su samo komisiji i službenicima koji vode postupak, čuvaju se zaštićeni i uništavaju po isteku propisanog roka čuvanja.`,
			`Postupak bih proveo u nekoliko koraka.

1. Objava javnog konkursa u službenom glasniku i na web stranici Agencije, sa uslovima iz pravilnika i rokom za prijavu. Time se svima omogućava da se prijave pod istim uslovima.
2. Konkursna komisija pregleda prijave i utvrđuje ko ispunjava uslove. Nepotpune i neblagovremene prijave se odbacuju.
3. Kandidati koji ispunjavaju uslove polažu pismeni ispit i obavljaju intervju pred komisijom, kako bi se provjerilo njihovo znanje i sposobnosti za rad sa javnošću.
4. Komisija pravi rang-listu i predlaže najboljeg kandidata, a ministarstvo donosi rješenje o postavljenju.
5. Novi službenik počinje raditi i upoznaje se s poslom uz pomoć kolega.

Transparentnost se osigurava tako što je konkurs javan i svi kandidati dobijaju ista pitanja i ocjenjuju se po istim kriterijima. Lični podaci kandidata koriste se samo za potrebe konkursa.`,
			`Prvo treba objaviti oglas da se zna da postoji slobodno mjesto. Onda se prikupe prijave i komisija obavi razgovor sa kandidatima koji su se prijavili. Najbolji kandidat se prima na posao.

Da bi postupak bio transparentan, sve prijave sa podacima kandidata objavit ćemo na internet stranici Agencije. Sve se može završiti za mjesec dana.`,
		},
		"hr": {
			`Plan postupka

1. Priprema (1. tjedan): provjeriti je li radno mjesto predviđeno pravilnikom o unutarnjem ustrojstvu i jesu li sredstva osigurana u proračunu te s ministarstvom usuglasiti tekst natječaja i sastav povjerenstva. Time se sprječava da se postupak kasnije poništi ili obustavi.
2. Javni natječaj (2. do 4. tjedan): objava u službenom glasilu, na mrežnim stranicama Agencije i ministarstva te u dnevnom tisku, s uvjetima, popisom isprava i rokom za prijavu, kako bi natječaj mogao vidjeti svatko tko ispunjava uvjete.
3. Provjera prijava (5. tjedan): povjerenstvo utvrđuje jesu li prijave pravodobne i potpune te ispunjavaju li kandidati propisane uvjete. Oni koji ih ne ispunjavaju dobivaju pisanu obavijest s obrazloženjem.
4. Testiranje i intervju (6. do 8. tjedan): svi kandidati pišu isti test, a intervju se vodi prema unaprijed utvrđenim pitanjima i kriterijima, da bi se uspoređivali samo prema znanju i sposobnostima.
5. Rang-lista i rješenje o prijmu (9. do 11. tjedan): povjerenstvo sastavlja rang-listu, izabire se najbolje rangirani kandidat i donosi rješenje o prijmu u državnu službu, koje se dostavlja svim kandidatima s uputom o pravu na žalbu.
6. Uvođenje u rad (od 13. tjedna): mentor i plan uvođenja u rad tijekom probnoga rada, kako bi se novi službenik brzo osamostalio.

Jednak pristup i transparentnost: isti uvjeti i kriteriji za sve, članovi povjerenstva potpisuju izjavu da nisu u sukobu interesa, a svaka se odluka obrazlaže. Osobni podaci: traže se samo isprave potrebne za provjeru uvjeta, pristup imaju samo povjerenstvo i službenici koji vode postupak, a podaci se čuvaju zaštićeno i brišu nakon propisanog roka.`,
			`Plan postupka:

1. Objava javnog natječaja u službenom glasilu i na mrežnim stranicama Agencije, s rokom za prijave od 15 dana (prvi mjesec).
2. Povjerenstvo pregledava prijave i sastavlja popis kandidata koji ispunjavaju uvjete, a nepotpune prijave se ne razmatraju.
3. Pisano testiranje i intervju s kandidatima s popisa (drugi mjesec).
4. Povjerenstvo sastavlja rang-listu i predlaže kandidata, a čelnik tijela donosi rješenje o prijmu u državnu službu (treći mjesec).
5. Izabrani kandidat počinje raditi najkasnije u četvrtom mjesecu i dobiva mentora koji ga uvodi u posao.

Natječaj je javan i svi kandidati imaju jednake uvjete, a članovi povjerenstva ne smiju biti u srodstvu s kandidatima niti na drugi način povezani s njima. Kandidati koji nisu izabrani dobivaju obavijest o rezultatima i mogu podnijeti žalbu.`,
			`Postupak počinje objavom natječaja, zatim se kandidati testiraju i bira se najbolji. Važno je da postupak bude pošten i da se poštuju propisi.

Ministarstvo treba unaprijed reći koga želi, a Agencija onda provede natječaj. Podaci kandidata moraju biti zaštićeni. Nakon izbora novi službenik dolazi na posao, a kolege mu pokažu što treba raditi.`,
		},
		"sr-Latn": {
			`Plan postupka

1. Priprema (1. nedelja): proveriti da li je radno mesto predviđeno pravilnikom o sistematizaciji i da li su sredstva obezbeđena u budžetu, pa sa ministarstvom usaglasiti tekst konkursa i sastav konkursne komisije. Tako se izbegava da se postupak kasnije obustavi.
2. Javni konkurs (2. do 4. nedelja): objava u službenom glasniku, na internet stranici Agencije i u dnevnim novinama, sa uslovima radnog mesta, spiskom dokaza i rokom za prijave, da bi svi zainteresovani imali iste informacije.
3. Provera prijava (5. nedelja): komisija utvrđuje koje su prijave blagovremene i potpune i da li kandidati ispunjavaju uslove; ostale se odbacuju rešenjem protiv kog je dozvoljena žalba.
4. Izborni postupak (6. do 8. nedelja): pismeni test i razgovor, sa istim zadacima i unapred određenim merilima, kako bi se kandidati poredili samo prema znanju i veštinama.
5. Rang-lista i izbor (9. i 10. nedelja): komisija sastavlja rang-listu, bira se najbolje rangirani kandidat, a svi kandidati dobijaju rešenje sa poukom o pravu na žalbu.
6. Postavljenje (11. i 12. nedelja): kada rešenje postane konačno, izabrani kandidat se postavlja i stupa na rad.
7. Uvođenje u rad (prve nedelje rada): mentor, plan uvođenja i upoznavanje sa poslovima ministarstva, da bi se službenik osamostalio tokom probnog rada.

Jednak pristup i transparentnost obezbeđujem javnim oglašavanjem, istim merilima za sve i izjavama članova komisije da nisu u sukobu interesa. Podaci o ličnosti kandidata prikupljaju se samo koliko je potrebno za proveru uslova, vide ih samo komisija i službenici koji vode postupak, čuvaju se bezbedno i brišu po isteku propisanog roka.`,
			`Plan postupka:

1. Prvo se proverava da li je radno mesto u pravilniku i da li ima novca u budžetu.
2. Raspisuje se javni konkurs koji se objavljuje na sajtu Agencije i u novinama, sa uslovima i rokom za prijavu, da bi svi mogli da se prijave.
3. Konkursna komisija proverava prijave i da li kandidati ispunjavaju uslove.
4. Sa kandidatima koji ispunjavaju uslove sprovodi se pismeni test i razgovor, kako bi se videlo ko najbolje poznaje posao.
5. Komisija pravi rang-listu, a najbolji kandidat se postavlja rešenjem.
6. Novi službenik dobija mentora koji ga uvodi u posao.

Svi kandidati imaju iste uslove i polažu isti test, pa je postupak fer. Kandidati se obaveštavaju o rezultatima i mogu da podnesu žalbu. Podaci o ličnosti koriste se samo za konkurs i ne daju se trećim licima.`,
			`Agencija će objaviti konkurs i sačekati prijave. Posle toga komisija bira kandidata koji ima najviše iskustva i najbolju diplomu, bez posebnog testiranja, jer je to najbrže. Izabrani kandidat odmah počinje sa radom.

Postupak je transparentan jer je konkurs javan. Svi podaci kandidata su poverljivi i čuvaju se trajno u arhivi.`,
		},
		"sr-Cyrl": {
			`План поступка

1. Припрема (1. недеља): проверити да ли је радно место предвиђено правилником о систематизацији и да ли су средства обезбеђена у буџету, па са министарством усагласити текст конкурса и састав конкурсне комисије. Тако се избегава да се поступак касније обустави.
2. Јавни конкурс (2. до 4. недеља): објава у службеном гласнику, на интернет страници Агенције и у дневним новинама, са условима радног места, списком доказа и роком за пријаве, да би сви заинтересовани имали исте информације.
3. Провера пријава (5. недеља): комисија утврђује које су пријаве благовремене и потпуне и да ли кандидати испуњавају услове; остале се одбацују решењем против ког је дозвољена жалба.
4. Изборни поступак (6. до 8. недеља): писмени тест и разговор, са истим задацима и унапред одређеним мерилима, како би се кандидати поредили само према знању и вештинама.
5. Ранг-листа и избор (9. и 10. недеља): комисија саставља ранг-листу, бира се најбоље рангирани кандидат, а сви кандидати добијају решење са поуком о праву на жалбу.
6. Постављење (11. и 12. недеља): када решење постане коначно, изабрани кандидат се поставља и ступа на рад.
7. Увођење у рад (прве недеље рада): ментор, план увођења и упознавање са пословима министарства, да би се службеник осамосталио током пробног рада.

Једнак приступ и транспарентност обезбеђујем јавним оглашавањем, истим мерилима за све и изјавама чланова комисије да нису у сукобу интереса. Подаци о личности кандидата прикупљају се само колико је потребно за проверу услова, виде их само комисија и службеници који воде поступак, чувају се безбедно и бришу по истеку прописаног рока.`,
			`План поступка:

1. Прво се проверава да ли је радно место у правилнику и да ли има новца у буџету.
2. Расписује се јавни конкурс који се објављује на сајту Агенције и у новинама, са условима и роком за пријаву, да би сви могли да се пријаве.
3. Конкурсна комисија проверава пријаве и да ли кандидати испуњавају услове.
4. Са кандидатима који испуњавају услове спроводи се писмени тест и разговор, како би се видело ко најбоље познаје посао.
5. Комисија прави ранг-листу, а најбољи кандидат се поставља решењем.
6. Нови службеник добија ментора који га уводи у посао.

Сви кандидати имају исте услове и полажу исти тест, па је поступак фер. Кандидати се обавештавају о резултатима и могу да поднесу жалбу. Подаци о личности користе се само за конкурс и не дају се трећим лицима.`,
			`Агенција ће објавити конкурс и сачекати пријаве. После тога комисија бира кандидата који има највише искуства и најбољу диплому, без посебног тестирања, јер је то најбрже. Изабрани кандидат одмах почиње са радом.

Поступак је транспарентан јер је конкурс јаван. Сви подаци кандидата су поверљиви и чувају се трајно у архиви.`,
		},
		"sq": {
			`1. Përgatitja (java 1): verifikoj që vendi i punës është në rregulloren për sistematizim dhe që mjetet janë në buxhet, dhe me ministrinë bie dakord për tekstin e konkursit dhe komisionin. Kështu procedura nuk rrezikon të ndërpritet më vonë.
2. Konkursi publik (javët 2–4): shpallet në gazetën zyrtare, në ueb-faqen e Agjencisë dhe në një gazetë ditore, me kushtet, dokumentet e kërkuara dhe afatin e aplikimit, që kushdo të ketë të njëjtin informacion.
3. Shqyrtimi i aplikimeve (java 5): komisioni kontrollon nëse aplikimet janë në afat dhe të plota dhe nëse kandidatët i plotësojnë kushtet; të tjerat hidhen poshtë me vendim të arsyetuar, kundër të cilit lejohet ankesa.
4. Provimi (javët 6–8): test me shkrim dhe intervistë me të njëjtat pyetje dhe kritere për të gjithë, që kandidatët të krahasohen vetëm sipas meritës.
5. Lista e renditjes dhe përzgjedhja (javët 9–10): komisioni harton listën, përzgjidhet kandidati i renditur më lart dhe të gjithë njoftohen për rezultatin dhe të drejtën e ankesës.
6. Emërimi (javët 11–12): pasi vendimi të bëhet përfundimtar, kandidati emërohet me vendim.
7. Orientimi në punë (javët e para): mentor dhe plan orientimi, që nëpunësi i ri të bëhet shpejt i pavarur gjatë periudhës provuese.

Qasja e barabartë dhe transparenca sigurohen me shpallje publike, kritere të njëjta dhe deklarata të anëtarëve të komisionit se nuk janë në konflikt interesi. Të dhënat personale mblidhen vetëm aq sa i nevojiten procedurës, i shohin vetëm komisioni dhe zyrtarët që e udhëheqin atë, ruhen në mënyrë të sigurt dhe fshihen pas afatit të ruajtjes.`,
			`Procedura do të kishte këto hapa:

1. Shpallja e konkursit publik në ueb-faqen e Agjencisë dhe në gazetë, me kushtet e vendit të punës dhe afatin për aplikim, që të gjithë të kenë mundësi të aplikojnë.
2. Komisioni shqyrton aplikimet dhe i veçon kandidatët që i plotësojnë kushtet.
3. Këta kandidatë i nënshtrohen testit me shkrim dhe intervistës, që të shihet kush ka më shumë njohuri për punën me publikun.
4. Komisioni harton listën e renditjes dhe kandidati i parë emërohet me vendim.
5. Nëpunësi i ri fillon punën dhe një koleg me përvojë e ndihmon në javët e para.

Transparenca sigurohet sepse konkursi është publik dhe kriteret janë të njëjta për të gjithë. Kandidatët njoftohen për rezultatet. Të dhënat personale përdoren vetëm për këtë konkurs dhe nuk u jepen personave të tjerë.`,
			`Së pari shpallet konkursi në internet. Pastaj kandidatët dërgojnë CV-në dhe bëhet intervista. Kandidati që i pëlqen më shumë ministrit merret në punë, sepse ai do të punojë me të.

Të dhënat e kandidatëve ruhen në Agjenci. Gjithçka duhet të jetë transparente dhe e drejtë.`,
		},
		"en": {
			`1. Preparation (week 1): confirm that the post is in the rulebook and funded in the budget, and agree the notice and the selection commission with the ministry, so that the procedure cannot be halted later.
2. Public vacancy notice (weeks 2–4): published in the official gazette, on the Agency's website and in a daily newspaper, listing the conditions, the documents required and the deadline, so that everyone has the same chance to apply.
3. Checking applications (week 5): the commission checks whether each application is on time and complete and whether the candidate meets the conditions; the rest are rejected by a reasoned, appealable decision.
4. Written test and interview (weeks 6–8): the same questions and scoring criteria for everyone, fixed in advance, so that candidates are compared on merit alone.
5. Ranking and selection (weeks 9–10): the commission draws up the ranking list, the best-ranked candidate is selected, and all candidates are told the result and their right to appeal.
6. Appointment (weeks 11–12): once the decision is final, the appointment is made.
7. Induction (first weeks of work): a mentor and an induction plan help the new civil servant settle in during probation.

Equal access and transparency come from public advertising, identical criteria, conflict-of-interest statements signed by commission members and reasons given for every decision. Personal data: we collect only what is needed to check the conditions, only the commission and the HR staff running the procedure see it, and it is stored securely and deleted when the retention period expires.`,
			`The procedure would go like this:

1. Publish the vacancy notice on the Agency's website and in the newspapers, with the conditions and a deadline, so that anyone interested can apply.
2. The commission reviews the applications and makes a list of candidates who meet the conditions. Late or incomplete applications are rejected.
3. The eligible candidates take a written test and have an interview, to see who has the best knowledge and skills for public relations work.
4. The commission ranks the candidates and the best one is appointed.
5. The new employee is introduced to colleagues and given a mentor for the first weeks.

To make the procedure fair, all candidates get the same test and are assessed by the same criteria, and everyone is informed of the results. Candidates' personal data will only be used for this competition and kept confidential.`,
			`First we advertise the job. Then we collect CVs and invite the most promising ones for an interview with the head of department, who decides who gets the job. The new person should start as soon as possible.

Applicants must send a photo and their date of birth with the application. Everything will be fair and transparent.`,
		},
	},
}
