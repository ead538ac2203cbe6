//! The words of generated threads and posts: what residents ask a France Services desk, what
//! neighbours offer each other, what associations announce, and the replies such threads get.
//! `{c}` in a title is a commune's name (see `corpus::fill`). Bodies are few and repeat: each is
//! rendered once per batch.

/// Members who write the generated threads: first names and family names, combined.
pub const FIRST_NAMES: &[&str] = &[
    "Camille",
    "Lucas",
    "Chantal",
    "Mehdi",
    "Odile",
    "Thierry",
    "Nadia",
    "Bernard",
    "Inès",
    "Jean-Pierre",
    "Sylvie",
    "Kévin",
    "Monique",
    "Yasmine",
    "Gérard",
    "Léa",
];

pub const FAMILY_NAMES: &[&str] = &[
    "Morel",
    "Fontaine",
    "Rousseau",
    "Benali",
    "Girard",
    "Lefebvre",
    "Chevalier",
    "Perrin",
    "Marchand",
    "Da Silva",
    "Guérin",
    "Lambert",
];

/// The category where residents ask about public services (seeded by the migrations).
pub const QUESTIONS_CATEGORY: &str = "questions-services-publics";

/// Titles of threads in the category of this slug; other categories take [`GENERAL_TITLES`].
pub const CATEGORY_TITLES: &[(&str, &[&str])] = &[
    (
        "questions-services-publics",
        &[
            "Comment renouveler ma carte grise sans imprimante ?",
            "Carte d’identité périmée : quel délai à la mairie de {c} ?",
            "Déclaration de revenus en ligne : je n’ai pas reçu mon numéro fiscal",
            "Prime d’activité : faut-il déclarer chaque trimestre ?",
            "Retraite : comment demander mon relevé de carrière ?",
            "APL refusée après un déménagement à {c}",
            "Carte Vitale perdue, que faire ?",
            "Permis de conduire : la photo numérique est refusée",
            "Inscription à France Travail depuis {c} sans ordinateur",
            "Complémentaire santé solidaire : quels justificatifs ?",
            "Changement d’adresse : à qui faut-il le signaler ?",
            "Chèque énergie pas reçu cette année",
            "Acte de naissance pour un enfant né à {c}",
            "Comment créer mon compte ameli ?",
            "Impôts : prélèvement à la source après une naissance",
        ],
    ),
    (
        "entraide",
        &[
            "Covoiturage vers le marché de {c} le samedi",
            "Qui peut me prêter une remorque ce week-end ?",
            "Cherche aide pour remplir un dossier MDPH",
            "Garde d’enfants ponctuelle à {c}",
            "Donne plants de tomates, à venir chercher à {c}",
            "Besoin d’un coup de main pour un déménagement",
            "Accompagnement aux courses pour une personne âgée à {c}",
            "Trajet jusqu’à l’hôpital mardi matin",
            "Cours d’informatique entre voisins",
            "Prêt de tondeuse contre un coup de main",
        ],
    ),
    (
        "annonces-associations",
        &[
            "Reprise des ateliers couture à {c}",
            "Le club de marche cherche des bénévoles",
            "Vide-greniers de {c} : inscriptions ouvertes",
            "Permanence de l’aide aux devoirs à {c}",
            "Concert de la chorale à l’église de {c}",
            "Assemblée générale du comité des fêtes",
            "Atelier réparation de vélos ce samedi",
            "Collecte de jouets pour Noël à {c}",
            "Nouvelle saison du club de football de {c}",
            "Sortie nature pour les familles",
        ],
    ),
];

/// Titles for a category without its own list.
pub const GENERAL_TITLES: &[&str] = &[
    "Une question pour les habitants de {c}",
    "Quelqu’un a-t-il déjà fait cette démarche ?",
    "Retour d’expérience à {c}",
    "Information utile pour {c}",
];

/// Titles of a wiki page's discussion.
pub const PAGE_TITLES: &[&str] = &[
    "Une précision sur cette page",
    "Cette information est-elle encore à jour ?",
    "Merci pour ces explications",
    "Il manque une étape pour les personnes sans internet",
    "Et pour les habitants de {c} ?",
];

/// Titles of a directory entry's discussion.
pub const ENTRY_TITLES: &[&str] = &[
    "Faut-il prendre rendez-vous ?",
    "Horaires pendant les vacances scolaires ?",
    "Accessible en fauteuil roulant ?",
    "Très bon accueil, merci",
    "Est-ce ouvert aux habitants de {c} ?",
];

/// First posts of questions.
pub const QUESTIONS: &[&str] = &[
    "Bonjour,\n\nJe dois faire cette démarche mais je n’ai ni imprimante ni scanner à la maison. Est-ce que quelqu’un sait si on peut la faire **entièrement en ligne** depuis un téléphone ?\n\nMerci d’avance.",
    "Bonjour à tous,\n\nJ’ai envoyé mon dossier il y a trois semaines et je n’ai toujours aucune nouvelle. Combien de temps faut-il attendre avant de relancer ?",
    "Bonsoir,\n\nOn m’a demandé un justificatif de domicile de moins de trois mois, mais je suis hébergée chez ma fille. Qu’est-ce que je peux fournir ?\n\n- une attestation d’hébergement ?\n- une facture à son nom ?\n\nMerci pour vos réponses.",
    "Bonjour,\n\nLe site me renvoie une erreur à la dernière étape et je ne peux pas valider. Quelqu’un a-t-il eu le même problème ?",
    "Bonjour,\n\nJe viens d’arriver dans la commune et je ne sais pas par où commencer. Faut-il passer à l’accueil France Services ou tout se fait-il en ligne ?",
];

/// First posts of discussions.
pub const DISCUSSIONS: &[&str] = &[
    "Bonjour à tous,\n\nJe propose de m’organiser avec d’autres habitants du secteur. Dites-moi ici si vous êtes intéressés et quels jours vous arrangent.",
    "Bonjour,\n\nNous reprenons nos activités le mois prochain. Toutes les informations (horaires, lieu, tarifs) sont données à la première séance, ouverte à tous et **gratuite**.\n\nVenez nombreux !",
    "Bonjour,\n\nJe partage mon expérience, ça pourra servir à d’autres : la démarche m’a pris une demi-heure avec l’aide de la conseillère, en apportant simplement mes papiers.",
    "Bonjour,\n\nQui serait partant pour un petit groupe d’entraide ? L’idée est de se retrouver une fois par mois pour se donner des coups de main.",
];

/// Replies.
pub const REPLIES: &[&str] = &[
    "Bonjour,\n\nOui, c’est possible : l’accueil France Services vous aide à le faire sur place, sur rendez-vous ou aux heures d’ouverture. Pensez à apporter vos identifiants.",
    "J’ai eu le même souci le mois dernier. Il a suffi de vider le cache du navigateur et de recommencer depuis le début.",
    "Merci beaucoup, c’est exactement ce que je cherchais !",
    "Bonjour,\n\nLe délai habituel est de deux à trois semaines. Au-delà, vous pouvez relancer par la messagerie de votre espace personnel.",
    "Je suis intéressé, je suis disponible le mardi et le jeudi après 17 h.",
    "Une attestation d’hébergement signée par la personne qui vous héberge, avec une copie de sa pièce d’identité et un justificatif à son nom, suffit en général.",
    "Attention, les horaires changent pendant les vacances scolaires : mieux vaut appeler avant de vous déplacer.",
    "Je confirme, ça a marché pour moi aussi.",
    "Bonjour,\n\nVous pouvez aussi demander un rendez-vous téléphonique. La conseillère m’a rappelé dans la semaine.",
    "Merci pour l’information, je transmets à mes voisins.",
    "Est-ce qu’il faut une pièce d’identité en cours de validité, ou une copie suffit ?",
    "Pour ma part j’ai dû envoyer le document deux fois : la première photo était floue. Prenez-la en pleine lumière.",
];
