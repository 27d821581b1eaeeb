package certif

// CompetenceCount is the number of Pix competences (COMPETENCES_COUNT).
const CompetenceCount = 16

// Competence is one of the 16 Pix competences.
type Competence struct {
	Code string // "1.1" … "5.2"
	Area string // the area's name, e.g. "Information et données"
	Name string // as exported in the column headers (curly ’ included)
}

// Competences are the 16 competences in Pix's order, the order of the export
// columns. Names are exactly those of the export headers (pix-formats.md §4):
// note the curly apostrophe in 1.1, 2.4, 4.1, 4.3 and "multimedia" without
// accent in 3.2.
var Competences = [CompetenceCount]Competence{
	{"1.1", "Information et données", "Mener une recherche et une veille d’information"},
	{"1.2", "Information et données", "Gérer des données"},
	{"1.3", "Information et données", "Traiter des données"},
	{"2.1", "Communication et collaboration", "Interagir"},
	{"2.2", "Communication et collaboration", "Partager et publier"},
	{"2.3", "Communication et collaboration", "Collaborer"},
	{"2.4", "Communication et collaboration", "S’insérer dans le monde numérique"},
	{"3.1", "Création de contenu", "Développer des documents textuels"},
	{"3.2", "Création de contenu", "Développer des documents multimedia"},
	{"3.3", "Création de contenu", "Adapter les documents à leur finalité"},
	{"3.4", "Création de contenu", "Programmer"},
	{"4.1", "Protection et sécurité", "Sécuriser l’environnement numérique"},
	{"4.2", "Protection et sécurité", "Protéger les données personnelles et la vie privée"},
	{"4.3", "Protection et sécurité", "Protéger la santé, le bien-être et l’environnement"},
	{"5.1", "Environnement numérique", "Résoudre des problèmes techniques"},
	{"5.2", "Environnement numérique", "Construire un environnement numérique"},
}
