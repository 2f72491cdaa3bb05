-- An optional field reads as `T?`.
type Profile = {name: string, bio?: string}
local function bio(p: Profile): string
    return p.bio or ""
end
print(bio({ name = "x" }))
