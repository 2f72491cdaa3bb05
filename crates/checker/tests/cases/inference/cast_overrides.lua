-- A cast (`as`, `::`) gives the value the type written.
local v = json.decode("{}") :: {name: string}
print(v.name, v.nmae) -- expect-error: no field `nmae` in {name: string}; did you mean `name`?
local w = (json.decode("1") as integer) + 1
print(w)
