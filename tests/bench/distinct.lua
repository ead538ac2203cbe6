-- wrk script for tests/bench/search.sh: every request asks something different, so that the
-- answers lieu keeps (the same list page, the same search) rarely help. What is measured is
-- what a question costs the first time it is asked.
--
-- LIEU_MIX=lists: a random page of a random list. LIEU_LISTS gives the lists and their page
--   counts, « path|pages » separated by spaces (search.sh reads them from each list's first
--   page).
-- LIEU_MIX=searches: two words drawn from what residents type, and one of the first three
--   result pages: some 30,000 different questions.

local mix = os.getenv("LIEU_MIX") or "lists"

local lists = {}
for item in string.gmatch(os.getenv("LIEU_LISTS") or "/annuaire/services|1", "%S+") do
  local path, pages = string.match(item, "^(.-)|(%d+)$")
  if path then
    table.insert(lists, { path = path, pages = tonumber(pages) })
  end
end

local words = {
  "aide", "logement", "emploi", "creche", "caf", "allocations", "familiales", "atelier",
  "informatique", "sante", "transport", "retraite", "saisonnier", "apl", "rsa", "cpam",
  "permanence", "association", "sport", "musique", "marche", "loyer", "colocation", "studio",
  "maison", "jardin", "enfants", "jeunes", "seniors", "handicap", "mobilite", "permis",
  "numerique", "impots", "papiers", "carte", "identite", "passeport", "medecin", "infirmier",
  "garde", "nounou", "cantine", "ecole", "formation", "cdi", "cdd", "agricole", "vendanges",
  "cuisine", "menage", "aide-soignant", "chauffeur", "benevole", "festival", "concert",
  "bibliotheque", "piscine", "randonnee", "theatre", "repair", "cafe", "epicerie", "solidaire",
  "emplois", "saisonier", "logment", "alocation", "creches", "ateliers",
}

-- Each of wrk's threads has its own Lua state: seed each differently.
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))

request = function()
  local path
  if mix == "searches" then
    path = "/recherche?q=" .. words[math.random(#words)] .. "+" .. words[math.random(#words)]
      .. "&page=" .. math.random(1, 3)
  else
    local list = lists[math.random(#lists)]
    local sep = string.find(list.path, "?", 1, true) and "&" or "?"
    path = list.path .. sep .. "page=" .. math.random(1, list.pages)
  end
  return wrk.format(nil, path)
end
