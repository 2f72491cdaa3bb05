-- `p.name .. p.title` with `title?: string`.
type Person = {name: string, title: string?}

local function label(p: Person): string
    return p.name .. p.title -- expect-warning: E0000 right operand of `..` may be nil (`p.title` is optional)
end
print(label({name = "a"}))
