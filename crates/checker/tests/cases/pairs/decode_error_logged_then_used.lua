-- The error is logged, then the value is used anyway: nil when decoding failed.
local function name_of(s: string): string
    local data, err = json.decode(s)
    if err then
        print(err)
    end
    return data.name -- expect-warning: E0023 cannot index `data`: it may be nil (json.decode(…) returns nil when it fails)
end
print(name_of("{}"))
