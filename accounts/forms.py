from django import forms

from .models import Language, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    @staticmethod
    def language_choices():
        return Language.choices
