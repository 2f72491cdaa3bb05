-- mode: strict
-- A `string?` field passed where `string` is required.
type Person = {name: string, title: string?}

local function shout(s: string): string
    return s:upper()
end

local function greet(p: Person): string
    return shout(p.title) -- expect-error: E0000 argument 1 (s) may be nil, expected string (`p.title` is optional)
end
print(greet({name = "a"}))
