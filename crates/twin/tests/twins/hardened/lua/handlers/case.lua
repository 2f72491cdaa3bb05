-- GET /case/:name runs one case of lua/lib/cases.lua by name.
local cases = wraith.import("cases")
local case = cases[req.params.name]
if not case then
    emit.error(404, "unknown_case", req.params.name)
    return
end
case()
