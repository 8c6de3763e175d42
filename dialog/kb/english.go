package kb

import "strings"

// commonEnglish lists everyday English words that typo tolerance must not
// turn into another word: a subscriber who writes life, night or plant
// means them, not lights or plan. Only words of four letters or more are
// listed, since shorter ones are never corrected. A word the knowledge
// base knows is matched exactly before this list is consulted.
const commonEnglish = "" +
	// Everyday nouns.
	"life lives world people person thing things stuff family friend friends child children " +
	"baby husband wife mother father parent parents brother sister daughter son " +
	"house home room kitchen office school college university hospital doctor " +
	"city town country place street road building floor door window wall garden " +
	"food meal dinner lunch breakfast coffee water drink restaurant canteen " +
	"money cash price cost dollar dollars yuan cents " +
	"night morning evening afternoon week weekend month year today tomorrow yesterday " +
	"hour hours minute minutes second seconds moment while " +
	"light lights night right fight sight might eight weight height tight " +
	"plant plane planet planes plants plans plate place " +
	"movie music song game games sport sports football basketball " +
	"weather rain snow wind sunny cloudy cold warm summer winter spring autumn " +
	"name names word words letter letters story stories news paper book books " +
	"problem problems question questions answer answers reason reasons idea ideas " +
	"part parts piece side sides point points level levels state states case cases " +
	"group groups team company companies business job jobs work works worker " +
	"meaning meanings sense kind kinds sort sorts type types form forms " +
	"body head hand hands face heart health mind love hate hope dream " +
	"animal animals dog dogs cat cats bird birds fish horse " +
	"car cars train trains flight flights ticket tickets travel trip holiday vacation " +
	"shop shops store stores market mall bank banks police " +
	"birthday party wedding gift gifts " +
	// Everyday verbs.
	"make makes made making take takes took taking give gives gave given giving " +
	"come comes came coming going gone went " +
	"look looks looked looking find finds found finding think thinks thought " +
	"tell tells told telling say says said saying speak speaks spoke talk talks talked " +
	"call calls called calling write writes wrote written read reads reading " +
	"walk walks walked run runs ran running sleep sleeps slept eat eats ate eaten " +
	"drive drives drove driven ride rides rode " +
	"live lived living love loved loving like liked hate hated " +
	"want wants wanted need needs needed help helps helped helping " +
	"work worked working play plays played playing watch watches watched " +
	"start starts started stop stops stopped finish finished " +
	"open opens opened close closes closed move moves moved " +
	"send sends sent receive receives received bring brings brought " +
	"keep keeps kept leave leaves left stay stays stayed wait waits waited " +
	"learn learned study studied teach taught understand understood " +
	"believe believed remember remembered forget forgot forgotten " +
	"happen happens happened seem seems seemed become became " +
	"show shows showed shown turn turns turned " +
	"change changes changed pay pays paid spend spent " +
	"sell sells sold wish wished " +
	// Everyday adjectives and adverbs.
	"good better best great nice fine well bad worse worst " +
	"happy sad angry tired sick busy free early late " +
	"long short high big small large little young old new " +
	"easy hard difficult simple possible impossible important real true false " +
	"same different other another every each whole several " +
	"always never often sometimes usually already almost maybe perhaps " +
	"again still really quite rather pretty enough " +
	"beautiful ugly funny strange weird crazy serious " +
	"hungry thirsty delicious "

// generic English words frame a question without naming its subject:
// they weigh nothing, like stop words, so what is the meaning of life
// matches no entry through meaning.
var genericEnglish = []string{
	"mean", "means", "meaning", "thing", "things", "stuff", "something", "anything",
	"everything", "nothing", "someone", "anyone", "somebody", "anybody", "use", "using",
	"used", "need", "needs", "help", "question", "problem", "issue", "kind", "sort",
	"able", "possible", "sure", "okay", "well", "good", "great", "fine", "wonder",
	"wondering", "guess", "think", "explain", "info", "information", "details", "regarding",
	"about", "into", "onto", "out", "up", "off", "over", "after", "before", "since",
	"until", "while", "during", "yet", "even", "own", "same", "other", "another",
	"each", "every", "all", "both", "such", "via", "per",
}

// realWords holds the stems of commonEnglish.
var realWords = func() map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(commonEnglish) {
		out[stem(w)] = true
	}
	return out
}()

// realWord reports whether the stemmed word w is an everyday English word
// that must not be corrected into another.
func realWord(w string) bool { return realWords[w] }
