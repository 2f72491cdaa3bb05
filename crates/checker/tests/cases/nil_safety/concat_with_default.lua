-- Nil-safe concatenation: `(p.title or "")`.
type Person = {name: string, title: string?}

local function label(p: Person): string
    return p.name .. " " .. (p.title or "")
end
print(label({name = "a"}))
