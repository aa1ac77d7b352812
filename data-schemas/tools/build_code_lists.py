#!/usr/bin/env python3
"""Rebuilds the Open DAMIR code lists (data-schemas/src/main/resources/.../codelists/*.csv).

Provenance, in order of precedence (see shared/research/open-data-reference.md, section 1.5):
  1. S3, the 2024 CNAM descriptif, as transcribed in the reference: authoritative for A files (2015+).
  2. S2, the 2015 CNAM lexique (an .xls workbook, one sheet per code list), for the codes the reference
     only samples (PRS_NAT, establishment categories, MFT_COD, DRG_AFF_NAT, PRS_PDS_QCP, DDP_SPE_COD labels).
Codes whose cell is blank in the lexique (an Excel formatting quirk) are skipped, never guessed.

Usage: python3 build_code_lists.py LEXIQUE.xls OUT_DIR   (needs Debian's python3-xlrd)
This is a maintenance tool: the CSVs it writes are committed; nothing in the build runs it.
"""
import csv, sys, xlrd

REF = {
 "age_ben_snds": [(0,"0-19 ANS"),(20,"20 - 29 ANS"),(30,"30 - 39 ANS"),(40,"40 - 49 ANS"),(50,"50 - 59 ANS"),
                  (60,"60 - 69 ANS"),(70,"70 - 79 ANS"),(80,"80 ANS ET +"),(99,"AGE INCONNU")],
 "region": [(5,"Régions et Départements d'outre-mer"),(11,"Ile-de-France"),(24,"Centre-Val de Loire"),
            (27,"Bourgogne-Franche-Comté"),(28,"Normandie"),(32,"Hauts-de-France - Nord-Pas-de-Calais-Picardie"),
            (44,"Grand Est"),(52,"Pays de la Loire"),(53,"Bretagne"),(75,"Aquitaine-Limousin-Poitou-Charentes"),
            (76,"Languedoc-Roussillon-Midi-Pyrénées"),(84,"Auvergne-Rhône-Alpes"),
            (93,"Provence-Alpes-Côte d'Azur et Corse"),(99,"Inconnu")],
 "zeat": [(0,"Inconnu"),(1,"Région Parisienne"),(2,"Bassin Parisien"),(3,"Nord"),(4,"Est"),(5,"Ouest"),
          (6,"Sud-Ouest"),(7,"Centre-Est"),(8,"Méditerranée"),(9,"DOM")],
 "ben_sex_cod": [(0,"INCONNU OU PERSONNE MORALE SANS CIVILITE"),(1,"MASCULIN"),(2,"FEMININ"),(9,"VALEUR INCONNUE")],
 "ben_cmu_top": [(0,"Non bénéficiaire de la C2S (CMU C avant 04/2021)"),(1,"Bénéficiaire de la C2S (CMU C avant 04/2021)"),
                 (2,"Sans Objet"),(9,"VALEUR INCONNUE")],
 "ben_qlt_cod": [(0,"Sans objet (RSI)"),(1,"ASSURE"),(2,"CONJOINT ET ASSIMILE"),(3,"ENFANT"),(4,"AUTRE AYANT-DROIT"),(9,"VALEUR INCONNUE")],
 "asu_nat": [(0,"SANS OBJET"),(10,"MALADIE"),(11,"MALADIE COURS NAVIGATION > 6 MOIS"),(12,"MALADIE COURS NAVIGATION < 6 MOIS"),
             (22,"SOINS AUX INVALIDES DE GUERRE (CNMSS)"),(30,"MATERNITE"),(40,"AT ET MP"),(50,"DECES"),
             (70,"PRESTATIONS SUPPLEMENTAIRES"),(80,"INVALIDITE"),(90,"PREVENTION MALADIE"),(99,"VALEUR INCONNUE")],
 "att_nat": [(0,"SANS OBJET"),(1,"ACCIDENT DU TRAVAIL"),(2,"MALADIE PROFESSIONNELLE"),(3,"ACCIDENT DU TRAJET"),(9,"VALEUR INCONNUE")],
 "cpl_cod": [(0,"SANS MAJORATION"),(1,"MAJORATION DE NUIT"),(2,"DIMANCHE ET JOUR FERIE"),(3,"MAJORATION D URGENCE"),(9,"VALEUR INCONNUE")],
 "cpt_env_typ": [(0,"PRESTATIONS NON PRISE EN CHARGE PAR LE RG"),(1,"SOINS DE VILLE"),
                 (2,"HOSPITALISATION ET MEDICO-SOCIALE ET CONSOMMATIONS INTERMEDIAIRES (MEDICAMENTS ET LPP)"),
                 (3,"PRESTATIONS LEGALES AM HORS ENV. ONDAM"),(4,"PREVENTION"),(5,"FNAS"),(6,"IVG (valeur supprimée)"),
                 (7,"C2S, AME ou ACS"),(8,"ALSACE MOSELLE"),(9,"VALEUR INCONNUE"),(98,"SANS OBJET")],
 "exo_mtf": [(0,"SANS OBJET"),(10,"ASSURANCE"),(20,"REGIMES"),(21,"PENSION MILITAIRE D'INVALIDITE"),(30,"NATURE DE PRESTATION"),
             (41,"MALADIE LISTE - AFFECTION SANS RAPPORT"),(42,"MALADIE LISTE - AFFECTION EN RAPPORT"),
             (43,"PATHOLOGIE HORS LISTE - AFFECTION SANS RAPPORT"),(44,"PATHOLOGIE HORS LISTE - AFFECTION EN RAPPORT"),
             (45,"POLYPATHOLOGIE HORS LISTE - AFFECTION SANS RAPPORT"),(46,"POLYPATHOLOGIE HORS LISTE - AFFECTION EN RAPPORT"),
             (47,"ART. L324 NON EXONERANT"),(51,"COEFFICIENT ET ACTE EN RAPPORT"),(54,"STERILITE"),(55,"6EME MOIS DE GROSSESSE"),
             (56,"EDUCATION SPECIALISEE SANS RAPPORT"),(57,"EDUCATION SPECIALISEE EN RAPPORT"),(62,"AUTRE CAS"),
             (63,"HOSPIT PLUS 30 JOURS"),(81,"PREVENTION"),(82,"PREVENTION SOINS DE SUITE BUCCO-DENTAIRE"),
             (91,"ACTES CCAM/NGAP EXONERANTS"),(92,"SOINS EN RAPPORT AVEC UN ACTE CCAM EXONERANT"),(99,"VALEUR INCONNUE")],
 "prs_rem_typ": [(0,"PRESTATION DE REFERENCE"),(1,"COMPLEMENT D ACTE"),(2,"TICKET MODERATEUR HORS C2S"),
                 (3,"SUPPLEMENT HORS ALSACE MOSELLE"),(4,"SUPPLEMENT ALSACE MOSELLE"),(5,"TICKET MODERATEUR C2S"),
                 (6,"FORFAIT C2S"),(7,"AME"),(10,"Part oc ACS"),(11,"PART SPECIFIQUE CRPCEN"),(12,"PART SPECIFIQUE CANSSM"),
                 (13,"TICKET MODERATEUR MAYOTTE"),(99,"VALEUR INCONNUE")],
 "prs_ppu_sec": [(1,"PUBLIC"),(2,"PRIVE"),(9,"INCONNUE")],
 "prs_fjh_typ": [(0,"REGIME"),(1,"REGIME LOCAL ALSACE-MOSELLE"),(2,"ASSURE"),(3,"ORGANISME COMPLEMENTAIRE"),(8,"SANS OBJET"),(9,"VALEUR INCONNUE")],
 "mtm_nat": [(0,"SANS OBJET"),(1,"BENEFICIAIRES ASPA/ASI"),(2,"REGIME LOCAL ALSACE MOSELLE"),(3,"REGIME LOCAL FRONTALIER"),
             (4,"REGIME LOCAL ET FNS"),(5,"SOINS A L ETRANGER (REGIME MILITAIRE)"),(9,"VALEUR INCONNUE")],
 "ete_ind_taa": [(0,"HORS TAA"),(1,"TAA PUBLIQUE"),(2,"TAA PRIVE"),(8,"NON TRANSMIS"),(9,"VALEUR INCONNUE")],
 "ete_typ_snds": [(0,"AMBULATOIRE SECTEUR LIBERAL"),(1,"PUBLIC PROPREMENT DIT"),(2,"PSPH PRIVE A BUT NON LUCRATIF"),
                  (3,"EX PJP AYANT OPTE POUR LE BG"),(4,"PRIVE LUCRATIF"),(6,"PRIVE NON LUCRATIF"),(99,"VALEUR INCONNUE")],
 "mdt_typ_cod": [(1,"SEJOURNE"),(2,"EXTERNE"),(3,"DOMICILE"),(9,"SANS OBJET")],
 "pse_act_cat": [(0,"ETABLISSEMENT"),(1,"MEDECIN"),(2,"FOURNISSEUR"),(3,"LABORATOIRE"),(4,"DENTISTE"),(5,"SAGE-FEMME"),
                 (6,"INFIRMIER"),(7,"MASSEUR"),(8,"PEDICURE-PODOLOGUE"),(9,"ORTHOPTISTE-ORTHOPHONISTE"),(99,"SANS OBJET")],
 "pse_act_snds": [(0,"NON RENSEIGNE"),(19,"CHIRURGIE DENTAIRE"),(21,"SAGE-FEMME"),(23,"ORTHOPTISTE-ORTHOPHONISTE INDIFFERENCIE"),
                  (24,"INFIRMIER"),(26,"MASSEUR-KINESITHERAPEUTE"),(27,"PEDICURE-PODOLOGUE"),(28,"ORTHOPHONISTE"),
                  (29,"ORTHOPTISTE"),(30,"LABORATOIRE"),(50,"PHARMACIE"),(55,"TRANSPORTEUR"),(60,"FOURNISSEUR"),
                  (90,"ETABLISSEMENT DE SANTE"),(99,"VALEUR INCONNUE")],
 "ps_spe_snds": [(0,"NON RENSEIGNE"),(1,"MEDECINE GENERALE"),(2,"ANESTHESIOLOGIE-REANIMATION"),(3,"PATHOLOGIE CARDIO-VASCULAIRE"),
                 (4,"CHIRURGIE"),(5,"DERMATOLOGIE ET VENEROLOGIE"),(6,"RADIOLOGIE"),(7,"GYNECOLOGIE OBSTETRIQUE"),
                 (8,"GASTRO-ENTEROLOGIE ET HEPATOLOGIE"),(9,"MEDECINE INTERNE"),(11,"OTO RHINO-LARYNGOLOGIE"),(12,"PEDIATRIE"),
                 (13,"PNEUMOLOGIE"),(14,"RHUMATOLOGIE"),(15,"OPHTALMOLOGIE"),(18,"STOMATOLOGIE"),
                 (31,"MEDECINE PHYSIQUE ET DE READAPTATION"),(32,"NEUROLOGIE"),(33,"PSYCHIATRIE"),(34,"GERIATRIE"),
                 (35,"NEPHROLOGIE"),(36,"CHIRURGIE DENTAIRE (SPECIALISTE O.D.F.)"),(37,"ANATOMIE-CYTOLOGIE-PATHOLOGIQUE"),
                 (38,"DIRECTEUR LABORATOIRE MEDECIN"),(42,"ENDOCRINOLOGIE ET METABOLISMES"),(80,"SANTE PUBLIQUE ET MEDECINE SOCIALE"),
                 (99,"VALEUR INCONNUE")],
 "ps_stj_snds": [(1,"PROFESSIONS LIBERALES"),(2,"PRATICIENS EXERCANT A TITRE SALARIE"),(8,"PRATICIENS FICTIFS"),(9,"VALEUR INCONNUE")],
 "top_ps5_trg": [(0,"Type de Remboursement C2S/CMU C ou Prestations pour Information"),
                 (1,"Hors C2S/CMU C et hors prestations pour information"),(9,"VALEUR INCONNUE")],
 "etb_dcs_mco": [("C","Chirurgie (décodage IR_MCO_V, non confirmé)"),("D","Domicile (décodage IR_MCO_V, non confirmé)"),
                 ("M","Médecine (décodage IR_MCO_V, non confirmé)"),("N","Odontologie (décodage IR_MCO_V, non confirmé)"),
                 ("O","Obstétrique (décodage IR_MCO_V, non confirmé)"),("P","Psychiatrie (décodage IR_MCO_V, non confirmé)"),
                 ("S","SSR (décodage IR_MCO_V, non confirmé)"),("X","Valeur inconnue (décodage IR_MCO_V, non confirmé)"),
                 ("Z","Sans objet (décodage IR_MCO_V, non confirmé)")],
}
# Lists the reference only samples: reference codes win, the lexique fills the rest.
REF_SAMPLES = {
 "ddp_spe_cod": ("DDP_SPE_COD", [(0,"SANS OBJET"),(121,"INDIFFERENCIEES")]),
 "ete_cat_snds": ("ETE_CAT_SNDS", [(1101,"CENTRES HOSPITALIERS REGIONAUX"),(1102,"CENTRES HOSPITALIERS"),
        (1103,"CH SPECIALISES EN LUTTE MALADIES MENTALES"),(1104,"CENTRES DE LUTTE CONTRE LE CANCER"),(1106,"HOPITAUX LOCAUX"),
        (1107,"ETABLISSEMENTS DE SANTE PRIVES AUTORISES EN SSR"),(1109,"ETABLISSEMENTS DE SOINS DE LONGUE DUREE"),
        (1110,"ETABLISSEMENTS DE SOINS DE COURTE DUREE"),(1111,"AUTRES ETS DE LUTTE CONTRE LES MALADIES MENTALES"),
        (1201,"TRAITEMENT ET SOINS A DOMICILE"),(1203,"DIALYSE AMBULATOIRE"),(1205,"AUTRES ETS RELEVANT DE LA LOI HOSPITALIERE"),
        (2100,"CABINETS LIBERAUX (SCANNER ET IRMN)"),(2103,"AUTRES STRUCTURES D'EXERCICE LIBERAL"),
        (2201,"Dispensaires ou Centres de Soins"),(2205,"SERVICE DE SANTE DES ARMEES"),(2206,"CENTRES DE SANTE"),
        (4401,"EHPA"),(4402,"SSIAD PERSONNES AGEES"),(9999,"VALEUR INCONNUE")]),
 "mft_cod": ("MFT_COD", [(1,"TARIFICATION LIBRE, SPECIALE OU SANS TARIFICATION"),(2,"PJ/DOTATION GLOBALE FIXES PAR AUTORITE MINISTERIELLE"),
        (3,"PJ/DOTATION GLOBALE FIXES PAR ARH POUR ETABLISSEMENTS PUBLICS"),(7,"TARIFS PAR CONTRAT AVEC ARH POUR ETABLISSEMENTS PRIVES"),
        (36,"TARIFS CONVENTIONNEL ASSURANCE MALADIE"),(99,"VALEUR INCONNUE")]),
 "drg_aff_nat": ("DRG_AFF_NAT", [(0,"SANS OBJET"),(11,"Assuré"),(19,"Enfant"),(32,"Mutuelle"),(33,"Subrogation"),(35,"Tiers Payant"),
        (36,"Tiers Payant Intégral (RO+OC)"),(38,"TP RO + OC C2S"),(99,"VALEUR INCONNUE")]),
 "prs_pds_qcp": ("PRS_PDS_QCP", [(0,"SANS OBJET"),(1,"L'EXECUTANT EST LE MEDECIN TRAITANT DECLARE"),(2,"NOUVEAU MT"),
        (3,"PATIENT ORIENTE PAR UN MT"),(5,"URGENCE AVEC MT"),(6,"HORS RESIDENCE HABITUELLE"),(7,"MT REMPLACE"),
        (13,"EXCLUSION TEMPORAIRE AVEC MT"),(31,"EXCLUS DU PARCOURS DE SOINS"),(33,"MOINS DE 16 ANS AVEC MT"),
        (34,"MOINS DE 16 ANS SANS MT"),(99,"VALEUR INCONNUE")]),
 "prs_nat": ("PRS_NAT", [(0,"SANS OBJET"),(1110,"CONSULTATION MEDECINE GENERALE"),(1103,"AVIS PONCTUEL DE CONSULTANT"),
        (1191,"TELECONSULTATION TOUTES SPECIALITES"),(1192,"TELECONSULTATION GENERALISTE"),(1210,"VISITE MEDECINE GENERALE"),
        (1214,"VISITE LONGUE ET COMPLEXE"),(1321,"ACTE DE CHIRURGIE CCAM"),(1323,"ANESTHESIE CCAM"),(1324,"ECHOGRAPHIE CCAM"),
        (1351,"IMAGERIE (hors écho) CCAM"),(1352,"ACTES TECHNIQUES MEDICAUX (hors imagerie) CCAM"),(1451,"SOINS DENTAIRES"),
        (1454,"CONSULTATION CD"),(1401,"PROTHESE FIXE RAC 0"),(1424,"ORTHODONTIE (chir.-dentiste)"),(1811,"IK PLAINE"),
        (1812,"IK MONTAGNE"),(1842,"IFD AUXILIAIRES MEDICAUX"),(1848,"IFD INFIRMIERS"),(1911,"ACTES DES SAGES-FEMMES"),
        (1951,"PARTICIPATION FORFAITAIRE (hors TP)"),(1952,"PARTICIPATION FORFAITAIRE (TP)"),(1957,"MAJORATION HORS PARCOURS"),
        (1971,"FRANCHISE SUR MEDICAMENT"),(1972,"FRANCHISE SUR MEDICAMENT"),(1973,"FRANCHISE TRANSPORT"),(1974,"FRANCHISE TRANSPORT"),
        (1975,"FRANCHISE ACTE D'AUXILIAIRE MEDICAUX"),(1976,"FRANCHISE ACTE D'AUXILIAIRE MEDICAUX"),
        (2111,"FRAIS D HEBERGEMENT ET ENVIRONNEMENT EN GHS"),(2110,"FRAIS SEJOUR SSR"),(2113,"GHT"),(2211,"FRAIS DE SEJOUR"),
        (2351,"FORFAIT TECHNIQUE IRM-SCANNER"),(2132,"HEMODIALYSE EN UDM"),(2251,"FORFAIT JOURNALIER"),(3111,"ACTES EN AMI"),
        (3122,"ACTES EN AMK"),(3106,"SOINS INFIRMIERS EXTERNALISES"),(3107,"SOINS INFIRMIERS EXTERNALISES"),
        (3108,"SOINS INFIRMIERS EXTERNALISES"),(3116,"MAJORATION ACTE UNIQUE"),(3125,"KINE OSTEO-ARTICULAIRE"),
        (3132,"ORTHOPHONISTES"),(3211,"ACTES DE BIOLOGIE"),(3223,"PRELEVEMENT"),(3313,"PHARMACIE 65%"),(3311,"PHARMACIE 100%"),
        (3312,"PHARMACIE PH4 (30%)"),(3341,"PHARMACIE 15%"),(3317,"PHARMACIE HOSPITALIERE 100%"),(3318,"PHARMACIE HOSPITALIERE 65%"),
        (3320,"PHARMACIE HOSPITALIERE EN SUS DU GHS")]
        + [(c,"HONORAIRES DE DISPENSATION") for c in (3364,3365,3366,3383,3384,3385,3386,3387,3388,3389,3390)]
        + [(3511,"ASSISTANCE RESPIRATOIRE/OXYGENOTHERAPIE"),(3512,"MATERIELS TRAITEMENTS A DOMICILE"),
        (3514,"MATERIELS TRAITEMENTS DIVERS"),(3515,"PANSEMENTS"),(3521,"ORTHESES"),(3531,"OPTIQUE"),(3551,"IMPLANTS"),
        (4212,"AMBULANCES AGREEES"),(4213,"VSL"),(4214,"TAXIS"),(5101,"FORFAIT VERRES UNIFOCAUX"),
        (5201,"FORFAIT PROTHESE DENTAIRE ADJOINTE"),(5401,"FORFAIT AUDIO-PROTHESE"),(6111,"IJ NORMALES -3 MOIS"),
        (6112,"IJ NORMALES +3 MOIS"),(6115,"IJ MAJOREES -3 MOIS"),(6121,"IJ PRENATALES"),(6122,"IJ POSTNATALES"),
        (6212,"CONGE PATERNITE"),(7111,"PENSION INVALIDITE AVANTAGES DE BASE"),(8111,"RENTES DE VICTIME"),
        (8113,"RENTES DE CONJOINT SURVIVANT"),(9311,"DEPISTAGE CANCER COLO-RECTAL"),(9421,"PREVENTION BUCCO-DENTAIRE"),
        (9511,"EXAMEN DE SANTE"),(9999,"VALEUR INCONNUE")]),
}
# psp_* lists: same as pse_* except the labels the reference gives for the prescriber side.
DERIVED = {
 "psp_act_cat": ("pse_act_cat", {9: "ORTHOP ORTHOPHONISTE PSYCHOLOGUE ERGO PSYCHOMOT"}, []),
 "psp_act_snds": ("pse_act_snds", {}, [23]),
}

def lexique(book, sheet):
    s = book.sheet_by_name(sheet)
    out = []
    for r in range(1, s.nrows):
        raw = s.cell_value(r, 0)
        if str(raw).strip() == "":
            continue
        out.append((int(float(raw)), " ".join(str(s.cell_value(r, 1)).split())))
    return out

def write(out_dir, name, rows):
    with open(f"{out_dir}/{name}.csv", "w", encoding="utf-8", newline="\n") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["code", "label"])
        for code, label in rows:
            w.writerow([code, label])

def main(xls, out_dir):
    book = xlrd.open_workbook(xls)
    lists = dict(REF)
    for name, (sheet, ref_rows) in REF_SAMPLES.items():
        merged = dict(lexique(book, sheet))
        merged.update(dict(ref_rows))
        lists[name] = sorted(merged.items())
    if True:  # MFT_COD 40-51: the reference names the range ("40-51 ARS ...") without the detailed labels
        mft = dict(lists["mft_cod"])
        for c in range(40, 52):
            mft.setdefault(c, "TARIFS FIXES PAR ARS (libellé détaillé non repris dans la référence)")
        lists["mft_cod"] = sorted(mft.items())
    for name, (base, relabel, drop) in DERIVED.items():
        lists[name] = [(c, relabel.get(c, l)) for c, l in lists[base] if c not in drop]
    for name, rows in lists.items():
        write(out_dir, name, sorted(rows, key=lambda r: (str(type(r[0])), r[0])))
        print(f"{name}: {len(rows)} codes")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
