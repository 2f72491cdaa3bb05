-- mode: strict
-- The error is logged, then the value is used anyway: nil when decoding failed.
local function name_of(s: string): string
    local data, err = json.decode(s)
    if err then
        print(err)
    end
    return data.name -- expect-error: E0023 cannot index `data`: it may be nil (json.decode(…) returns nil when it fails) -- expect-error: E0000 returned value 1 comes from any/unknown; no proof shows it is string
end
print(name_of("{}"))
